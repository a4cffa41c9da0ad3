// The page's speed on a big and a small timeline, in headless chromium:
//
//   node bench/bench.mjs [--segments=200000,1000] [--page=index.html|dist/index.html] [--json] [--tcpviz=PATH]
//
//   node bench/bench.mjs --segments=1000000     the 1M-segment figures
//   node bench/bench.mjs --timeline=FILE.json   a timeline of a real capture instead
//                                               (tcpviz analyze CAPTURE -o FILE.json)
//
// The timelines are synthesized from a real one (tests/captures/loss_retrans,
// analyzed by the tcpviz built here) by repeating its connection with
// shifted frames, times, connection ids and client ports, written the way
// the analyzer writes them (one event per line, < > & escaped). Each is
// served on 127.0.0.1 and opened with ?timeline=URL. Printed per size:
//   app_start_ms    navigation start → the page's script starts (HTML, CSS, modules)
//   first_frame_ms  navigation start → first [data-frame] element on screen
//   loaded_ms       navigation start → the whole timeline read and laid out
//   load_cpu_ms     the renderer main thread's CPU time up to then (what loaded_ms
//                   would be on an idle machine, less the network's share)
//   scroll_fps      frames per second while scrolling 400 px every frame
//   scroll_p95_ms   95th percentile of the time between those frames
//   scroll_cpu_ms   the renderer main thread's CPU time per scrolled frame (script,
//                   style, layout, paint): under 16.7 ms leaves room for 60 fps
//                   even when other work on the machine lowers scroll_fps
//   play_fps        frames per second during playback at the fastest speed
//   heap_mb         JS heap in use after loading (after a garbage collection)
//   buffers_mb      typed arrays' memory beside it (the page's event columns)
//   drawn_elements  [data-frame] elements in the DOM (the rows near the view)
// The machine's load average is printed too: these are wall-clock numbers,
// and other work on the same cores slows them down.

import { serve } from '../test/helpers/server.mjs';
import { launch } from '../test/helpers/browser.mjs';
import { timeline } from '../test/helpers/timelines.mjs';
import { synthesize, bigTimelineFile } from '../test/helpers/bigtimeline.mjs';
import os from 'node:os';
import { statSync } from 'node:fs';

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
};
const sizes = arg('segments', '200000,1000').split(',').map(Number).filter((n) => n > 0);
const asJson = process.argv.includes('--json');
// index.html (ES modules, as served from the repository) or dist/index.html (one file)
const pagePath = arg('page', 'index.html');

async function measure(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const obs = new MutationObserver(() => {
      if (document.querySelector('[data-frame]')) {
        obs.disconnect();
        requestAnimationFrame(() => { window.benchFirstFrame = performance.now(); });
      }
    });
    obs.observe(document, { subtree: true, childList: true });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return 1000 * metrics.find((m) => m.name === 'ThreadTime').value;
  };
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.benchFirstFrame !== undefined, null, { timeout: 600000 });
  const firstFrame = await page.evaluate(() => window.benchFirstFrame);
  const appStart = await page.evaluate(() => performance.getEntriesByName('tcpviz:start')[0]?.startTime ?? NaN);
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.getElementById('status').textContent.includes('…'),
    null, { timeout: 1200000, polling: 50 });
  const loaded = await page.evaluate(() => performance.now());
  const status = await page.evaluate(() => document.getElementById('status').textContent);
  const loadCpu = await taskMs();
  await page.waitForTimeout(300);

  const task0 = await taskMs();
  const scroll = await page.evaluate(() => new Promise((resolve) => {
    const el = document.getElementById('diagram-scroll');
    const gaps = [];
    let last = performance.now();
    const start = last;
    function frame(now) {
      gaps.push(now - last);
      last = now;
      el.scrollTop += 400;
      if (now - start < 3000) requestAnimationFrame(frame);
      else resolve({ frames: gaps.length, ms: now - start, gaps });
    }
    requestAnimationFrame(frame);
  }));
  const scrollTask = (await taskMs()) - task0;
  scroll.gaps.sort((a, b) => a - b);

  await page.selectOption('#speed', '16');
  const play = await page.evaluate(() => new Promise((resolve) => {
    document.getElementById('play').click();
    let frames = 0;
    const start = performance.now();
    function frame(now) {
      frames++;
      if (now - start < 2000) requestAnimationFrame(frame);
      else { document.getElementById('play').click(); resolve({ frames, ms: now - start }); }
    }
    requestAnimationFrame(frame);
  }));

  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, backingStorageSize } = await cdp.send('Runtime.getHeapUsage');
  const drawn = await page.locator('[data-frame]').count();
  await context.close();
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return {
    loaded_segments: Number((status.match(/^[\d,]+/)?.[0] ?? '').replace(/,/g, '')),
    app_start_ms: Math.round(appStart),
    first_frame_ms: Math.round(firstFrame),
    loaded_ms: Math.round(loaded),
    load_cpu_ms: Math.round(loadCpu),
    scroll_fps: +(scroll.frames / (scroll.ms / 1000)).toFixed(1),
    scroll_p95_ms: +scroll.gaps[Math.floor(scroll.gaps.length * 0.95)].toFixed(1),
    scroll_cpu_ms: +(scrollTask / scroll.frames).toFixed(2),
    play_fps: +(play.frames / (play.ms / 1000)).toFixed(1),
    heap_mb: +(usedSize / 1024 / 1024).toFixed(1),
    buffers_mb: +((backingStorageSize ?? 0) / 1024 / 1024).toFixed(1),
    drawn_elements: drawn,
  };
}

async function main() {
  const base = timeline('loss_retrans');
  const files = new Map();
  const given = arg('timeline', null);
  // Up to 300,000 segments in memory; more (a million is ~600 MB, past what
  // one string may hold) from a file kept in the temp directory.
  if (given) files.set('/bench/given.json', { file: given });
  else for (const n of sizes) files.set(`/bench/${n}.json`, n <= 300000 ? { body: synthesize(base, n) } : { file: bigTimelineFile(n).file });
  const server = await serve(files);
  const browser = await launch();
  const results = [];
  try {
    for (const [url, f] of files) {
      const mb = ((f.file ? statSync(f.file).size : Buffer.byteLength(f.body)) / 1024 / 1024).toFixed(1);
      const r = await measure(browser, `${server.url}/${pagePath}?timeline=${url}`);
      results.push({ segments: given ? r.loaded_segments : Number(url.match(/(\d+)\.json$/)[1]), json_mb: +mb, ...r });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  if (asJson) {
    console.log(JSON.stringify({ page: pagePath, loadavg: load, cpus: os.cpus().length, results }));
    return;
  }
  console.log(`web page ${pagePath} (headless chromium, served on 127.0.0.1, ?timeline=URL; ${os.cpus().length} CPUs, load average ${load})`);
  const cols = ['segments', 'json_mb', 'app_start_ms', 'first_frame_ms', 'loaded_ms', 'load_cpu_ms', 'scroll_fps', 'scroll_p95_ms', 'scroll_cpu_ms', 'play_fps', 'heap_mb', 'buffers_mb', 'drawn_elements'];
  console.log(cols.map((c) => c.padStart(16)).join(''));
  for (const r of results) console.log(cols.map((c) => String(r[c]).padStart(16)).join(''));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
