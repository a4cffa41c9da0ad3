// The windowed page (?session=0) in Chromium against the real `tcpviz serve`
// on one capture: the index (wall time, and the rate per CPU second the server
// prints), the first screen after the index is ready (first arrows drawn),
// go-to-frame jumps to the last frame and to random frames (until the
// segment's details show), and the page's JS heap after a garbage collection.
//
//   node bench/serve_page.mjs CAPTURE [--tcpviz ../build/tcpviz] [--jumps 10]
//
// Prints one "serve-page:" line of figures (bench.sh collects them). Needs the
// page built (node build.mjs).

import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { launch } from '../test/helpers/browser.mjs';
import { WEB_ROOT } from '../test/helpers/server.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const tcpviz = path.resolve(option('--tcpviz', path.join(WEB_ROOT, '..', 'build', 'tcpviz')));
const jumps = Number(option('--jumps', '10'));
const capture = args[0];
if (!capture) {
  console.error('usage: node bench/serve_page.mjs CAPTURE [--tcpviz PATH] [--jumps N]');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const started = performance.now();
const server = spawn(tcpviz, ['serve', '--port', '0', path.resolve(capture)], {
  env: { ...process.env, TCPVIZ_WEB_DIR: WEB_ROOT }, stdio: ['ignore', 'pipe', 'pipe'],
});
let browser;
try {
  const url = await new Promise((resolve, reject) => {
    readline.createInterface({ input: server.stdout }).once('line', (line) => {
      const m = /^tcpviz serve: (http:\/\/\S+\/)/.exec(line);
      if (m) resolve(m[1]); else reject(new Error(`serve did not start: ${line}`));
    });
    server.on('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
  // The progress line: "... indexed in S s (R M packets/s; C M per CPU second), index X MB".
  const indexed = await new Promise((resolve) => {
    readline.createInterface({ input: server.stderr }).on('line', (line) => { if (/indexed in/.test(line)) resolve(line.trim()); });
  });
  const indexWall = (performance.now() - started) / 1000;
  const m = /: (\d+) packets, (\d+) segments.*\(([\d.]+)M packets\/s; ([\d.]+)M per CPU second\), index ([\d.]+) MB/.exec(indexed);
  const packets = Number(m?.[1] ?? 0);
  const segments = Number(m?.[2] ?? 0);
  const tail = await (await fetch(`${url}api/sessions/0/events?from=${segments - 1}&count=1`)).json();
  const lastFrame = tail.events[0].frame;
  const rss = readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  const sizeMb = statSync(capture).size / 1e6;

  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The first arrow's time since the navigation began, seen from inside the page.
  await context.addInitScript(() => {
    new MutationObserver((records, observer) => {
      if (!document.querySelector('[data-frame]')) return;
      window.__firstArrow = performance.now();
      observer.disconnect();
    }).observe(document, { subtree: true, childList: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Cold: Chromium's first navigation (its network service and renderer start
  // too); warm: the page opened again, as a user reloading it would.
  await page.goto(`${url}?session=0`);
  await page.waitForSelector('[data-frame]', { timeout: 60000 });
  const cold = await page.evaluate(() => window.__firstArrow);
  await page.reload();
  await page.waitForSelector('[data-frame]', { timeout: 60000 });
  const firstScreen = await page.evaluate(() => window.__firstArrow);
  // When the page's script began (after the HTML and the bundle were parsed).
  const appStart = await page.evaluate(() => performance.getEntriesByName('tcpviz:start')[0]?.startTime ?? NaN);

  // Timed inside the page, from the frame number's "change" (what Enter in
  // the box fires) to the segment's details on screen, so that the driver's
  // own round trips are not counted.
  const jumpTo = (frame) => page.evaluate((f) => new Promise((resolve, reject) => {
    const started = performance.now();
    const shown = () => document.querySelector(`#details [data-frame-shown="${f}"]`);
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      resolve(performance.now() - started);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    setTimeout(() => { observer.disconnect(); reject(new Error(`frame ${f} not shown in 30 s`)); }, 30000);
    const input = document.getElementById('goto');
    input.value = String(f);
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }), frame);
  const last = await jumpTo(lastFrame);
  const random = [];
  for (let i = 0; i < jumps; i++) random.push(await jumpTo(1 + Math.floor(Math.random() * lastFrame)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const rssMb = rss ? Number(rss[1]) / 1024 : 0;
  console.log(`serve-page: ${path.basename(capture)} ${(sizeMb).toFixed(0)} MB, ${packets} packets, ` +
    `index ${indexWall.toFixed(2)} s wall (${m?.[3]}M packets/s; ${m?.[4]}M per CPU second), ` +
    `server RSS ${rssMb.toFixed(0)} MB (${(100 * rssMb / sizeMb).toFixed(0)}% of the capture), ` +
    `first screen ${firstScreen.toFixed(0)} ms (the page's script began at ${appStart.toFixed(0)} ms; cold browser ${cold.toFixed(0)} ms), jump to the last frame ${last.toFixed(0)} ms, ` +
    `random jumps median ${median(random).toFixed(0)} ms max ${Math.max(...random).toFixed(0)} ms (${jumps}), ` +
    `page heap ${(usedSize / 1048576).toFixed(1)} MB${errors.length ? `, page errors: ${errors.join('; ')}` : ''}`);
  // Issue 12's targets (times are wall clock: the load average says how busy the machine was).
  const verdict = (value, limit, unit) => `${value.toFixed(0)} ${unit} ≤ ${limit} ${unit}: ${value <= limit ? 'met' : 'NOT met'}`;
  console.log(`serve-page targets (load average ${os.loadavg()[0].toFixed(1)}): first screen ${verdict(firstScreen, 1500, 'ms')}; ` +
    `jump to the last frame ${verdict(last, 300, 'ms')}; slowest random jump ${verdict(Math.max(...random), 300, 'ms')}; ` +
    `page heap ${verdict(usedSize / 1048576, 300, 'MB')}`);
} finally {
  await browser?.close();
  server.kill('SIGTERM');
}
