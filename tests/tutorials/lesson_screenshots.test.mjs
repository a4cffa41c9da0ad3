// The screenshot each lesson shows is the real page its lab made: after
// lesson_commands.py has run the lessons' commands in WORKDIR, this opens
// each lesson's HTML report (WORKDIR/out/lessons/<lesson>[-zh]/) in Debian's
// chromium, checks the page drew the lab's segments without an error, and
// saves tutorials/screenshots/<lesson>[-zh].png, the file the lesson shows.
//
//   LESSONS_WORKDIR=build/lessons node --test tests/tutorials/lesson_screenshots.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from '../../web/test/helpers/browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKDIR = process.env.LESSONS_WORKDIR;
const SHOTS = process.env.LESSONS_SCREENSHOTS || path.join(ROOT, 'tutorials', 'screenshots');
// A lab whose capture is empty on purpose: its page has no segment to draw.
const EMPTY_CAPTURE = new Set(['03-address-families']);

function lessons() {
  return readdirSync(path.join(ROOT, 'tutorials', 'en'))
    .filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
}

function reportIn(dir) {
  assert.ok(existsSync(dir), `${dir} does not exist: did the lesson's lab run with --html --out?`);
  const html = readdirSync(dir).filter((f) => f.endsWith('.html')).sort();
  assert.ok(html.length > 0, `no .html report in ${dir}`);
  return path.join(dir, html.includes('report.html') ? 'report.html' : html[0]);
}

test('every lesson shows a screenshot of the report its own lab made', async () => {
  assert.ok(WORKDIR, 'set LESSONS_WORKDIR to the directory lesson_commands.py ran the lessons in');
  const browser = await launch();
  const failures = [];  // every lesson is tried; the test fails listing each one that did not work
  try {
    for (const lesson of lessons()) {
      for (const suffix of ['', '-zh']) {
        try {
          await screenshot(browser, lesson, suffix);
        } catch (e) {
          failures.push(`${lesson}${suffix}: ${e.message}`);
        }
      }
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(failures, []);
});

async function screenshot(browser, lesson, suffix) {
  const report = reportIn(path.join(WORKDIR, 'out', 'lessons', lesson + suffix));
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(pathToFileURL(report).href);
    // A Chinese lesson shows the page in Chinese, as its students would set it.
    if (suffix === '-zh') await page.selectOption('#lang', 'zh');
    if (EMPTY_CAPTURE.has(lesson)) {
      await page.waitForLoadState('load');
      await page.waitForTimeout(500);
      assert.equal(await page.locator('[data-frame]').count(), 0, 'the empty capture drew segments');
    } else {
      await page.waitForSelector('[data-frame]', { timeout: 15000 });
    }
    await page.waitForTimeout(300); // let the charts finish drawing
    const shot = path.join(SHOTS, `${lesson}${suffix}.png`);
    await page.screenshot({ path: shot });
    assert.deepEqual(errors, [], 'the page logged errors');
    assert.ok(statSync(shot).size > 10000, `${shot} is too small to show anything`);
  } finally {
    await page.close();
  }
}
