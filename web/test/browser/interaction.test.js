// The page in Debian's chromium (playwright-core), used: keys and playback,
// filters, the language switch, export, and a timeline past what the page
// may hold (it keeps what it read and says to use tcpviz serve).
//
//   node --test test/browser/    (TCPVIZ=/path/to/tcpviz; node build.mjs first)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { timeline } from '../helpers/timelines.mjs';
import { renderNote } from '../../src/notes.js';
import { filterEvents } from '../../src/filter.js';
import { setup, openPage, served, ready, drawn } from '../helpers/pagetest.mjs';

setup();

test('keyboard and playback: ↓/↑ step, space plays and the current segment advances and stays in view', async () => {
  const { page, close } = await openPage(served('loss_retrans'));
  await ready(page);
  const shownFrame = () => page.locator('#details [data-frame-shown]').getAttribute('data-frame-shown').then(Number);
  await page.locator('#diagram-scroll').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await shownFrame(), 1);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await shownFrame(), 3);
  await page.keyboard.press('ArrowUp');
  assert.equal(await shownFrame(), 2);
  await page.selectOption('#speed', '16');
  await page.locator('#diagram-scroll').focus();
  await page.keyboard.press(' ');
  await page.waitForFunction(() => Number(document.querySelector('#details [data-frame-shown]')?.dataset.frameShown) >= 40, null, { timeout: 8000 });
  await page.keyboard.press(' ');
  const stopped = await shownFrame();
  await page.waitForTimeout(400);
  assert.equal(await shownFrame(), stopped, 'space pauses');
  assert.ok(stopped >= 40);
  const inView = await page.evaluate(() => {
    const g = document.querySelector('.dg-current');
    const s = document.getElementById('diagram-scroll').getBoundingClientRect();
    const r = g.getBoundingClientRect();
    return r.top >= s.top - 1 && r.bottom <= s.bottom + 1;
  });
  assert.ok(inView, 'playback scrolls with the current segment');
  await page.click('#play');
  const a = await shownFrame();
  await page.waitForTimeout(700);
  assert.ok(await shownFrame() > a, 'the play button plays');
  // Space on the focused play button presses it once (not once more by the page's key).
  await page.keyboard.press(' ');
  assert.equal(await page.locator('#play').getAttribute('data-playing'), 'false');
  await close();
});

test('filters: only flagged, hide pure ACKs, payload search, one connection', async () => {
  const { page, close } = await openPage(served('loss_retrans'));
  await ready(page);
  const tl = timeline('loss_retrans');
  await page.check('#flagged');
  await page.waitForFunction((n) => document.getElementById('shown-count').textContent.startsWith(n),
    filterEvents(tl.events, { flaggedOnly: true }).length.toLocaleString('en-US'));
  const classes = await page.locator('[data-frame]').evaluateAll((els) => els.map((e) => e.getAttribute('class')));
  assert.ok(classes.length > 0 && classes.every((c) => /dg-tag-/.test(c)), 'every drawn segment is flagged');
  await page.uncheck('#flagged');
  await page.check('#hide-acks');
  const expectHidden = filterEvents(tl.events, { hidePureAcks: true }).length;
  await page.waitForFunction((n) => document.getElementById('shown-count').textContent.startsWith(n), expectHidden.toLocaleString('en-US'));
  await close();

  const hs = await openPage(served('handshake_data_fin'));
  await ready(hs.page);
  const syn = timeline('handshake_data_fin').events[0];
  assert.equal(await hs.page.locator('[data-frame="1"] .dg-label').textContent(), 'SYN seq=0 win=65495');
  await hs.page.check('#raw');
  await hs.page.waitForFunction((want) => document.querySelector('[data-frame="1"] .dg-label')?.textContent === want,
    `SYN seq=${syn.seq_raw} win=${syn.win_raw}`);
  await hs.page.uncheck('#raw');
  await hs.page.fill('#search', 'HELLO 2');
  await hs.page.waitForFunction(() => document.querySelectorAll('[data-frame]').length === 2);
  const frames = (await drawn(hs.page)).frames;
  const want = timeline('handshake_data_fin').events.filter((e) => e.payload.toLowerCase().includes('hello 2')).map((e) => e.frame);
  assert.deepEqual(frames, want);
  await hs.close();

  const pr = await openPage(served('port_reuse'));
  await ready(pr.page);
  const prTl = timeline('port_reuse');
  await pr.page.click('#conn-list button[data-conn="1"]');
  await pr.page.waitForFunction(() => [...document.querySelectorAll('[data-frame]')].every((g) => g.dataset.conn === '1'));
  const conn1 = (await drawn(pr.page)).frames;
  assert.deepEqual(conn1, prTl.events.filter((e) => e.conn === 1).map((e) => e.frame));
  assert.equal(await pr.page.locator('#conn-filter').inputValue(), '1');
  await pr.page.selectOption('#conn-filter', 'all');
  await pr.page.waitForFunction((n) => document.querySelectorAll('[data-frame]').length === n, prTl.events.length);
  await pr.close();
});

test('the language switch turns the interface, the brackets and the notes into Chinese and back', async () => {
  const { page, close } = await openPage(served('handshake_data_fin'));
  await ready(page);
  await page.locator('[data-frame="1"] .dg-label').click();
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(await page.locator('[data-bracket="handshake"] text').textContent(), '三次握手');
  assert.equal(await page.locator('.dg-lane-title').first().textContent(), '客户端');
  const e = timeline('handshake_data_fin').events[0];
  assert.equal(await page.locator('#details .note').textContent(), renderNote(e, 'zh'));
  assert.match(await page.locator('#open').textContent(), /打开/);
  await page.selectOption('#lang', 'en');
  assert.equal(await page.locator('[data-bracket="handshake"] text').textContent(), 'Three-way handshake');
  assert.equal(await page.locator('#details .note').textContent(), e.note);
  await close();
});

test('export: a valid SVG of what is on screen, and a PNG', async () => {
  const { page, close } = await openPage(served('handshake_data_fin'));
  await ready(page);
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svgText = readFileSync(await svgDownload.path(), 'utf8');
  assert.match(svgDownload.suggestedFilename(), /\.svg$/);
  const check = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.getElementsByTagName('parsererror').length,
      root: doc.documentElement.localName,
      ns: doc.documentElement.namespaceURI,
      frames: doc.querySelectorAll('[data-frame]').length,
      labels: [...doc.querySelectorAll('.dg-label')].map((t) => t.textContent),
      scripts: doc.querySelectorAll('script, foreignObject').length,
    };
  }, svgText);
  assert.equal(check.error, 0, 'the SVG parses as XML');
  assert.equal(check.root, 'svg');
  assert.equal(check.ns, 'http://www.w3.org/2000/svg');
  assert.ok(check.frames >= 10, `visible segments exported (${check.frames})`);
  assert.ok(check.labels.includes('SYN seq=0 win=65495'));
  assert.equal(check.scripts, 0);
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const png = readFileSync(await pngDownload.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.ok(png.length > 5000);
  await close();
});

test('past what the page can hold it keeps what it read and says to use tcpviz serve; an empty filter says so', async () => {
  const { page, close } = await openPage(served('loss_retrans', '&max_events=100'));
  await ready(page);
  assert.match(await page.locator('#notice').textContent(), /first 100 segments.*tcpviz serve/);
  assert.equal(await page.locator('#notice').isVisible(), true);
  assert.match(await page.locator('#shown-count').textContent(), /^100 of 100/);
  await close();

  const hs = await openPage(served('handshake_data_fin'));
  await ready(hs.page);
  assert.equal(await hs.page.locator('#empty-view').isVisible(), false);
  await hs.page.check('#flagged');
  await hs.page.waitForSelector('#empty-view', { state: 'visible' });
  assert.match(await hs.page.locator('#empty-view').textContent(), /No segment matches these filters/);
  await hs.page.uncheck('#flagged');
  await hs.page.waitForSelector('#empty-view', { state: 'hidden' });
  await hs.close();
});
