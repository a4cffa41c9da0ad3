// End to end, as a user meets it: `tcpviz analyze CAPTURE --html report.html`
// on a capture whose chat payload is script and markup, then the report
// opened from disk in Debian's chromium. It must draw every segment as a
// [data-frame] element, show the hostile text as text, open no dialog,
// insert no element, log no error and make no request off the machine.
//
//   TCPVIZ=build/tcpviz node --test tests/report/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from '../../web/test/helpers/browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TCPVIZ = process.env.TCPVIZ || path.join(ROOT, 'build', 'tcpviz');
const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

test('a report of a capture with a hostile payload shows it as text and runs nothing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tcpviz-report-'));
  const capture = path.join(ROOT, 'tests', 'captures', 'crafted', 'hostile_payload.pcap');
  const report = path.join(dir, 'report.html');
  const json = path.join(dir, 'timeline.json');
  execFileSync(TCPVIZ, ['analyze', capture, '--html', report, '-o', json, '--quiet']);
  const timeline = JSON.parse(readFileSync(json, 'utf8'));
  const html = readFileSync(report, 'utf8');
  assert.ok(!html.includes(HOSTILE), 'the raw payload must not appear unescaped in the file');

  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = { dialogs: [], errors: [], offHost: [] };
    page.on('dialog', (d) => { problems.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    page.on('console', (m) => { if (m.type() === 'error') problems.errors.push(m.text()); });
    page.on('pageerror', (e) => problems.errors.push(String(e)));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['file:', 'data:', 'blob:'].includes(u.protocol)) problems.offHost.push(r.url());
    });
    await page.goto(pathToFileURL(report).href);
    await page.waitForSelector('[data-frame]', { timeout: 10000 });
    // Even spacing fits these 12 segments on one screen: every one is drawn.
    const frames = await page.$$eval('[data-frame]', (els) => [...new Set(els.map((e) => Number(e.getAttribute('data-frame'))))]);
    assert.deepEqual(frames.sort((a, b) => a - b), timeline.events.map((e) => e.frame));
    // No element came from the payload.
    assert.equal(await page.$$eval('img[src="x"], img[onerror], svg[onload]', (els) => els.length), 0);
    const scripts = await page.$$eval('script', (els) => els.map((s) => s.id || s.type || 'inline'));
    assert.ok(scripts.length <= 3, `unexpected scripts: ${scripts}`);
    // The text is there, as text: select the hostile segment and read its details.
    const hostileFrame = timeline.events.find((e) => e.payload.includes('</script>')).frame;
    await page.click(`[data-frame="${hostileFrame}"]`);
    await page.waitForTimeout(300);
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(text.includes('</script><script>alert(1)</script>'), 'the payload is shown as text');
    await page.waitForTimeout(300);
    assert.deepEqual(problems.dialogs, []);
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.offHost, []);
  } finally {
    await browser.close();
  }
});
