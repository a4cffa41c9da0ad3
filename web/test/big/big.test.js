// The static page with a million segments (a synthetic timeline of ~600 MB,
// made by test/helpers/bigtimeline.mjs and kept on disk between runs): every
// segment reachable by the scrollbar, by End and by "go to frame", within the
// heap the issue allows. The load time (wall, and the page's own CPU time,
// which the machine's load does not inflate) and the heap are printed; the
// time is not asserted (speed targets live in scripts/bench.sh).
//
//   node --test test/big/    (TCPVIZ=/path/to/tcpviz; node build.mjs first)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../helpers/server.mjs';
import { launch } from '../helpers/browser.mjs';
import { bigTimelineFile } from '../helpers/bigtimeline.mjs';
import os from 'node:os';

const SEGMENTS = 1_000_000;
const HEAP_LIMIT_MB = 400;
let server;
let browser;
let big;

before(async () => {
  big = bigTimelineFile(SEGMENTS);
  server = await serve(new Map([['/big.json', { file: big.file }]]));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a million segments: loaded whole, the last frame reachable by scrollbar, End and go to frame, heap within 400 MB', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const started = Date.now();
  await page.goto(`${server.url}/index.html?timeline=/big.json`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready'
    && !document.getElementById('status').textContent.includes('…'), null, { timeout: 900000, polling: 500 });
  const loadMs = Date.now() - started;
  const { metrics } = await cdp.send('Performance.getMetrics');
  const loadCpuMs = 1000 * metrics.find((m) => m.name === 'ThreadTime').value;
  const status = await page.locator('#status').textContent();
  assert.match(status, /^1,000,000 segments/, status);

  // The scrollbar at its end shows the last segment.
  await page.locator('#diagram-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector(`[data-frame="${big.lastFrame}"]`, { timeout: 10000 });
  const scrollHeight = await page.locator('#diagram-scroll').evaluate((el) => el.scrollHeight);
  assert.ok(scrollHeight < 33_000_000, `the scroll area stays within what Chromium allows (${scrollHeight})`);
  const visible = await page.evaluate((frame) => {
    const g = document.querySelector(`[data-frame="${frame}"]`).getBoundingClientRect();
    const s = document.getElementById('diagram-scroll').getBoundingClientRect();
    return g.top >= s.top - 1 && g.bottom <= s.bottom + 1;
  }, big.lastFrame);
  assert.ok(visible, 'the last segment is on screen');

  // Home, then End: the last segment selected, its details shown.
  await page.locator('#diagram-scroll').focus();
  await page.keyboard.press('Home');
  await page.waitForSelector('#details [data-frame-shown="1"]');
  await page.keyboard.press('End');
  await page.waitForSelector(`#details [data-frame-shown="${big.lastFrame}"]`);
  await page.waitForSelector(`[data-frame="${big.lastFrame}"].dg-current`);

  // Go to a frame deep in the second half (past where the scroll area used to end).
  const frame = 876_543;
  await page.fill('#goto', String(frame));
  await page.press('#goto', 'Enter');
  await page.waitForSelector(`#details [data-frame-shown="${frame}"]`);
  await page.waitForSelector(`[data-frame="${frame}"].dg-current`);
  const note = await page.locator('#details .note').textContent();
  assert.ok(note.length > 10, 'the note of a packed event is rendered on demand');

  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const heapMb = heap.usedSize / 1024 / 1024;
  const buffersMb = (heap.backingStorageSize ?? 0) / 1024 / 1024;
  console.log(`# 1M segments (${(big.bytes / 1e6).toFixed(0)} MB of JSON): loaded in ${loadMs} ms `
    + `(the page's main thread ${loadCpuMs.toFixed(0)} ms of CPU; load average ${os.loadavg()[0].toFixed(1)}), `
    + `JS heap ${heapMb.toFixed(0)} MB + ${buffersMb.toFixed(0)} MB of typed arrays after GC`);
  assert.ok(heapMb + buffersMb <= HEAP_LIMIT_MB, `heap ${heapMb.toFixed(0)} MB + typed arrays ${buffersMb.toFixed(0)} MB ≤ ${HEAP_LIMIT_MB} MB`);
  assert.deepEqual(errors, []);
  await context.close();
});
