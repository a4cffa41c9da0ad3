// The page in Debian's chromium (playwright-core), opened every way: served
// with ?timeline=URL (broken files give clear messages), from disk as one
// file or as index.html (with and without the build), the report template.
//
//   node --test test/browser/    (TCPVIZ=/path/to/tcpviz; node build.mjs first)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_ROOT } from '../helpers/server.mjs';
import { timelineText, timeline } from '../helpers/timelines.mjs';
import { setup, server, tmp, openPage, served, ready, drawn } from '../helpers/pagetest.mjs';

setup();

test('a file that is not JSON, not version 1, not found or a capture shows a clear message', async () => {
  for (const [file, code] of [['not-json.json', 'not_json'], ['version2.json', 'bad_version'], ['missing.json', 'fetch'], ['capture.pcap', 'capture_file']]) {
    const { page, close } = await openPage(`${server.url}/index.html?timeline=/t/${file}`);
    await page.waitForSelector('body[data-state="error"]');
    assert.equal(await page.locator('#message').isVisible(), true);
    assert.equal(await page.locator('#message [data-error]').getAttribute('data-error'), code, file);
    assert.match(await page.locator('#message h2').textContent(), /cannot be shown/);
    // The 404 is itself logged by the browser as a failed resource.
    await close({ allowErrors: file === 'missing.json' });
  }
});

test('the one-file page opens from disk, and loads a timeline from the file picker and by drag and drop', async () => {
  const url = pathToFileURL(path.join(WEB_ROOT, 'dist', 'index.html')).href;
  const { page, close } = await openPage(url);
  await page.waitForSelector('body[data-state="empty"]');
  assert.equal(await page.locator('#welcome').isVisible(), true);
  const file = path.join(tmp, 'handshake_data_fin.json');
  writeFileSync(file, timelineText('handshake_data_fin'));
  await page.setInputFiles('#file-input', file);
  await ready(page);
  assert.equal((await drawn(page)).frames.length, 17);
  const text = timelineText('half_close');
  await page.evaluate((json) => {
    const dt = new DataTransfer();
    dt.items.add(new File([json], 'half_close.json', { type: 'application/json' }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction((n) => document.querySelectorAll('[data-frame]').length === n && document.body.dataset.state === 'ready',
    timeline('half_close').events.length);
  assert.match(await page.locator('#status').textContent(), /half_close\.json/);
  await close();
});

test('index.html opened from disk falls back to the bundled script and opens a timeline from the file picker', async () => {
  const { page, close } = await openPage(pathToFileURL(path.join(WEB_ROOT, 'index.html')).href);
  await page.waitForFunction(() => window.tcpvizBooted === true, null, { timeout: 8000 });
  await page.waitForSelector('body[data-state="empty"]');
  assert.equal(await page.locator('#no-modules').isVisible(), false);
  const file = path.join(tmp, 'half_close.json');
  writeFileSync(file, timelineText('half_close'));
  await page.setInputFiles('#file-input', file);
  await ready(page);
  assert.equal((await drawn(page)).frames.length, timeline('half_close').events.length);
  // Chromium logs the blocked module loads (file:// has no CORS): expected here.
  await close({ allowErrors: true });
});

test('index.html from disk without the build says what to do instead of staying blank', async () => {
  const dir = mkdtempSync(path.join(tmp, 'unbuilt-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'index.html'), readFileSync(path.join(WEB_ROOT, 'index.html')));
  writeFileSync(path.join(dir, 'src', 'nomodules.js'), readFileSync(path.join(WEB_ROOT, 'src', 'nomodules.js')));
  const { page, close } = await openPage(pathToFileURL(path.join(dir, 'index.html')).href);
  await page.waitForSelector('#no-modules', { state: 'visible', timeout: 8000 });
  assert.match(await page.locator('#no-modules').textContent(), /node build\.mjs/);
  await close({ allowErrors: true });
});

test('the report template holds the placeholder element once, and an untouched template opens as the empty page', async () => {
  const template = readFileSync(path.join(WEB_ROOT, 'dist', 'report-template.html'), 'utf8');
  assert.equal(template.split('__TCPVIZ_TIMELINE__').length, 2);
  assert.ok(template.includes('<script id="tcpviz-timeline" type="application/json">__TCPVIZ_TIMELINE__</script>'));
  assert.ok(!/<script[^>]+src=/.test(template), 'no external script');
  assert.ok(!/<link[^>]+stylesheet/.test(template), 'no external stylesheet');
  const { page, close } = await openPage(pathToFileURL(path.join(WEB_ROOT, 'dist', 'report-template.html')).href);
  await page.waitForSelector('body[data-state="empty"]');
  await close();
});

test('served, the page asks for nothing that is not there (favicon included)', async () => {
  const { page, close, problems } = await openPage(served('handshake_data_fin'));
  await ready(page);
  const missing = server.requests.filter((u) => u.includes('favicon'));
  assert.deepEqual(missing, [], 'no request for /favicon.ico');
  assert.match(await page.locator('link[rel="icon"]').getAttribute('href'), /^data:image\/svg\+xml,/);
  assert.deepEqual(problems.errors, []);
  await close();
});
