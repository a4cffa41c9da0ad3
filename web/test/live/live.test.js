// The live page (?live=1) in Chromium against the real `tcpviz serve --live`
// capturing a chat on a veth (run by run.mjs inside the classroom namespace;
// never directly). For each chat line: the time from its segment's capture
// timestamp to its arrow in the page's DOM. Then 30 students, then a burst
// the page must summarise ("counted, not drawn") without falling behind.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { launch } from '../helpers/browser.mjs';
import { WEB_ROOT } from '../helpers/server.mjs';
import { INIT_SCRIPT, waitArrowLatencies, figures } from '../helpers/livepage.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { TCPVIZ, LIVE_NS_STUDENTS, LIVE_IFACE, LIVE_SERVER_ADDR } = process.env;
if (!TCPVIZ || !LIVE_NS_STUDENTS) throw new Error('run through test/live/run.mjs (TCPVIZ, namespaces)');
const CHAT_PORT = 20000 + Math.floor(Math.random() * 30000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const children = [];
const sseLag = [];   // ms from capture to a plain reader's arrival, every segment
let sseReader;
let browser;
let page;
let url;
let students;
const errors = [];

function start(cmd, args, options = {}) {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'], ...options });
  children.push(child);
  return child;
}

/** The students' clients (chatters.mjs in their namespace): command(op) resolves when done. */
function startStudents() {
  const child = start('ip', ['netns', 'exec', LIVE_NS_STUDENTS, process.execPath, path.join(here, 'chatters.mjs'),
    LIVE_SERVER_ADDR, String(CHAT_PORT)]);
  const waiting = new Map();
  let next = 0;
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const { done, error } = JSON.parse(line);
    const w = waiting.get(done);
    waiting.delete(done);
    if (error) w.reject(new Error(error)); else w.resolve();
  });
  return (command) => new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    child.stdin.write(`${JSON.stringify({ ...command, id })}\n`);
  });
}

async function waitListening(host, port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => {
      const s = net.connect({ host, port }, () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${host}:${port}`);
}

/**
 * A plain SSE reader beside the page (how late the server's messages are,
 * apart from the page's drawing): onSegment(data) for each segment.
 */
async function readSse(streamUrl, onSegment) {
  const reader = (await fetch(streamUrl)).body.getReader();
  const text = new TextDecoder();
  let buffer = '';
  (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) return;
      buffer += text.decode(value, { stream: true });
      for (let at; (at = buffer.indexOf('\n\n')) >= 0;) {
        const message = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const data = /^data: (.*)$/m.exec(message);
        if (/^event: segment$/m.test(message) && data) onSegment(JSON.parse(data[1]));
      }
    }
  })();
  return reader;
}

before(async () => {
  start(TCPVIZ, ['chat', 'server', '--bind', LIVE_SERVER_ADDR, '--port', String(CHAT_PORT), '-q']);
  await waitListening(LIVE_SERVER_ADDR, CHAT_PORT);
  const serve = start(TCPVIZ, ['serve', '--port', '0', '-q', '--live', '-i', LIVE_IFACE, '--filter', `tcp port ${CHAT_PORT}`],
    { env: { ...process.env, TCPVIZ_WEB_DIR: WEB_ROOT } });
  const first = await new Promise((resolve) => readline.createInterface({ input: serve.stdout }).once('line', resolve));
  const m = /^tcpviz serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(first);
  assert.ok(m, `serve did not start: ${first}`);
  url = m[1];
  serve.stdout.resume();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(INIT_SCRIPT);
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  await page.goto(`${url}?live=1`);
  await page.waitForFunction(() => window.__live.hello !== null, null, { timeout: 10000 });
  students = startStudents();
  sseReader = await readSse(`${url}api/live/events`, (e) => sseLag.push(Date.now() - e.wall * 1000));
});

after(async () => {
  await sseReader?.cancel().catch(() => {});
  await browser?.close();
  for (const child of children) child.kill('SIGTERM');
});

/** Sends `lines` chat lines, one every `gap` ms from client `who(i)`; the arrow latency of each. */
async function measure(label, lines, gap, who) {
  const texts = [];
  for (let i = 0; i < lines; i++) {
    const text = `${label}-${i}-${Math.random().toString(36).slice(2, 8)}`;
    await students({ op: 'send', k: who(i), text });
    texts.push(text);
    await sleep(gap);
  }
  const results = await waitArrowLatencies(page, texts);
  const latencies = results.map((r) => r.latency);
  const own = results.filter((r) => r.own).length;
  const sse = figures(sseLag.splice(0));
  console.log(`# live ${label}: capture → a plain SSE reader: median ${sse.median?.toFixed(1)} ms, max ${sse.max?.toFixed(1)} ms over ${sse.count} segments`);
  const f = figures(latencies);
  const draws = figures(await page.evaluate(() => performance.getEntriesByName('tcpviz:live-draw').map((m) => m.duration)));
  await page.evaluate(() => performance.clearMeasures('tcpviz:live-draw'));
  console.log(`# live ${label}: ${draws.count} drawings, each median ${draws.median?.toFixed(1)} ms, p95 ${draws.p95?.toFixed(1)} ms`);
  const late = latencies.filter((l) => !(l < 1000)).length;
  console.log(`# live ${label}: capture → arrow in the DOM: median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, ` +
    `max ${f.max.toFixed(1)} ms over ${f.count} lines; ${late} over 1 s; ` +
    `${own} of the lines' own client-to-server arrows drawn (the others went by in a batch, their copies drawn)`);
  return { ...f, late };
}

test('chat lines from one student: each arrow within 1 s of its capture, median ≤ 250 ms', async () => {
  await students({ op: 'connect', n: 1 });
  const f = await measure('one', 25, 200, () => 0);
  assert.equal(f.late, 0, 'every line drawn within 1 s');
  assert.ok(f.median <= 250, `median ${f.median} ms`);
  assert.deepEqual(errors, []);
});

test('30 students connected, each line echoed to 29: each arrow within 1 s, median ≤ 250 ms', async () => {
  await students({ op: 'connect', n: 29 });
  await sleep(500);
  // A busy classroom: a line every 300 ms (each student every 9 s), each
  // relayed to 29: about 200 segments a second.
  const f = await measure('thirty', 40, 300, (i) => i % 30);
  assert.equal(f.late, 0, 'every line drawn within 1 s');
  assert.ok(f.median <= 250, `median ${f.median} ms`);
  assert.deepEqual(errors, []);
});

test('a burst is counted, not drawn, the page says so, and keeps up: lines after it come within 1 s', async () => {
  await students({ op: 'close', keep: 2 });
  await sleep(500);
  const before = await page.evaluate(() => window.__live.segments.length);
  const started = Date.now();
  await students({ op: 'burst', k: 0, lines: 30000 });
  const burstMs = Date.now() - started;
  await page.waitForFunction(() => window.__live.aggregates > 0, null, { timeout: 10000 });
  await page.waitForFunction(() => /counted, not drawn/.test(document.getElementById('notice').textContent), null, { timeout: 5000 });
  assert.equal(await page.locator('#notice').isVisible(), true, 'the notice is shown');
  const drawn = (await page.evaluate(() => window.__live.segments.length)) - before;
  await sleep(1000);
  const f = await measure('after-burst', 10, 200, (i) => i % 2);
  console.log(`# live burst: 30000 writes in ${burstMs} ms; ${drawn} data segments sent one by one, the rest aggregated`);
  assert.equal(f.late, 0, 'lines after the burst drawn within 1 s');
  assert.ok(f.median <= 250, `median after the burst ${f.median} ms`);
  assert.deepEqual(errors, []);
});
