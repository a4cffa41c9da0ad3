// The page as `tcpviz serve` serves it, against a stand-in for the server's
// API (test/helpers/api.mjs, the contract of serve/API.md) fed from real
// timelines: a session browsed in windows (?session=0), and the live page
// (?live=1) drawing segments as they are pushed.
//
//   node --test test/browser/served.test.js    (TCPVIZ=...; node build.mjs first)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../helpers/server.mjs';
import { launch } from '../helpers/browser.mjs';
import { timeline } from '../helpers/timelines.mjs';
import { synthesize } from '../helpers/bigtimeline.mjs';
import { apiHandler } from '../helpers/api.mjs';

const SEGMENTS = 40_000;
let browser;
let big;
let small;

before(async () => {
  big = JSON.parse(synthesize(timeline('loss_retrans'), SEGMENTS));
  small = timeline('handshake_data_fin');
  browser = await launch();
});

after(async () => { await browser?.close(); });

async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

test('windowed: a served session is drawn from windows of events; the end and any frame are reachable; few requests', async () => {
  const api = apiHandler(big);
  const server = await serve(new Map(), { handle: api.handle });
  const { page, errors, close } = await open(`${server.url}/index.html?session=0`);
  await page.waitForSelector('body[data-state="ready"]');
  await page.waitForSelector('[data-frame="1"]');
  assert.match(await page.locator('#shown-count').textContent(), /40,000 of 40,000/);
  assert.ok(api.counts.events <= 4, `only the windows in view were asked for (${api.counts.events})`);
  const last = big.events.at(-1).frame;
  await page.locator('#diagram-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector(`[data-frame="${last}"]`, { timeout: 15000 });
  const frame = big.events[23_456].frame;
  await page.fill('#goto', String(frame));
  await page.press('#goto', 'Enter');
  await page.waitForSelector(`#details [data-frame-shown="${frame}"]`, { timeout: 15000 });
  assert.ok(api.counts.frame >= 1, 'the frame was looked up on the server');
  assert.ok(api.counts.events < 20, `windows fetched: ${api.counts.events}`);
  assert.equal(await page.locator('#flagged').isDisabled(), true, 'filters that need every event are off');
  assert.deepEqual(errors, []);
  await close();
  await server.close();
});

test('live: the events kept before the page came, then each pushed segment drawn as it comes, followed; kernel chart grows; aggregates said', async () => {
  const before3 = small.events.slice(0, 3);
  const api = apiHandler(small, { liveSession: 1, liveTotal: 3, liveEvents: before3 });
  const server = await serve(new Map(), { handle: api.handle });
  const { page, errors, close } = await open(`${server.url}/index.html?live=1`);
  await page.waitForSelector('[data-frame="3"]');
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && api.streams === 0; i++) await new Promise((r) => setTimeout(r, 100));
  api.send('connection', small.connections[0]);
  const latencies = [];
  for (let i = 3; i < small.events.length; i++) {
    const e = small.events[i];
    const sent = Date.now();
    api.send('segment', { ...e, index: i, wall: sent / 1000 });
    await page.waitForSelector(`[data-frame="${e.frame}"]`, { timeout: 5000 });
    latencies.push(Date.now() - sent);
  }
  latencies.sort((a, b) => a - b);
  console.log(`# live: push → arrow in the DOM, median ${latencies[latencies.length >> 1]} ms, max ${latencies.at(-1)} ms (${latencies.length} segments)`);
  const frames = await page.locator('[data-frame]').evaluateAll((els) => els.map((g) => Number(g.dataset.frame)));
  assert.deepEqual(frames, small.events.map((e) => e.frame), 'every segment once, in order');
  assert.equal(await page.locator("#status").textContent(), `Live: ${small.events.length} segments, 1 connection`);
  for (const [k, cwnd] of [[0, 10], [1, 20], [2, 40]]) {
    api.send('kernel', { conn: 0, sample: { t: 0.01 * k, side: 'client', ca_state: 'open', cwnd, ssthresh: null } });
  }
  await page.waitForSelector('figure[data-chart="kernel"]', { timeout: 5000 });
  await page.waitForFunction(() => document.querySelector('figure[data-chart="kernel"]')?.plot?.data[1].includes(40), null, { timeout: 5000 });
  api.send('aggregate', { from_index: 20, to_index: 900, segments: 880, bytes: 1_200_000, by_conn: { 0: 880 }, reason: 'rate' });
  await page.waitForFunction(() => /880 segments/.test(document.getElementById('notice').textContent));
  assert.equal(await page.locator('#notice').isVisible(), true);
  assert.deepEqual(errors, []);
  await close();
  await server.close();
});

test('live: scrolling away pauses following, "Jump to live" comes back to the newest segment', async () => {
  const events = JSON.parse(synthesize(timeline('loss_retrans'), 300)).events;
  const api = apiHandler(small, { liveSession: 1, liveTotal: 200, liveEvents: events.slice(0, 200) });
  const server = await serve(new Map(), { handle: api.handle });
  const { page, errors, close } = await open(`${server.url}/index.html?live=1`);
  await page.waitForSelector(`[data-frame="${events[199].frame}"]`);
  for (let i = 0; i < 50 && api.streams === 0; i++) await new Promise((r) => setTimeout(r, 100));
  await page.locator('#diagram-scroll').evaluate((el) => { el.scrollTop = 0; });
  await page.waitForSelector('#live-jump', { state: 'visible' });
  for (let i = 200; i < 220; i++) api.send('segment', { ...events[i], index: i });
  await page.waitForFunction(() => /220 segments/.test(document.getElementById('status').textContent));
  assert.equal(await page.locator('#diagram-scroll').evaluate((el) => el.scrollTop), 0, 'paused: the view stays');
  await page.click('#live-jump');
  await page.waitForSelector(`[data-frame="${events[219].frame}"]`);
  await page.waitForSelector('#live-jump', { state: 'hidden' });
  for (let i = 220; i < 230; i++) api.send('segment', { ...events[i], index: i });
  await page.waitForSelector(`[data-frame="${events[229].frame}"]`);
  const inView = await page.evaluate((f) => {
    const g = document.querySelector(`[data-frame="${f}"]`).getBoundingClientRect();
    const s = document.getElementById('diagram-scroll').getBoundingClientRect();
    return g.bottom <= s.bottom + 1 && g.top >= s.top - 1;
  }, events[229].frame);
  assert.ok(inView, 'following again: the newest segment is in view');
  assert.deepEqual(errors, []);
  await close();
  await server.close();
});
