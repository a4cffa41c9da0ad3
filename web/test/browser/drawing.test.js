// The page in Debian's chromium (playwright-core), what it draws: every segment
// of every test capture, the labels, the details of a clicked segment, only
// the rows near the view, and the charts.
//
//   node --test test/browser/    (TCPVIZ=/path/to/tcpviz; node build.mjs first)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_ROOT } from '../helpers/server.mjs';
import { timeline } from '../helpers/timelines.mjs';
import { makeReport } from '../helpers/report.mjs';
import { pairedSamples } from '../helpers/kernel.mjs';
import { renderNote } from '../../src/notes.js';
import { setup, tmp, CAPTURES, openPage, served, ready, drawn } from '../helpers/pagetest.mjs';

setup();

test('every segment of each test capture is drawn as one [data-frame] element, in order', async () => {
  const names = CAPTURES.filter((n) => n !== 'loss_retrans');
  const { page, goto, close } = await openPage(served(names[0]));
  for (const name of names) {
    if (name !== names[0]) await goto(served(name));
    await ready(page);
    const d = await drawn(page);
    const tl = timeline(name);
    assert.deepEqual(d.frames, tl.events.map((e) => e.frame), name);
    assert.equal(d.to - d.from, d.frames.length, `${name}: the rows drawn are the rows in view`);
  }
  await close();
});

test('the handshake, the teardown, the endpoints and the TCP states are labelled', async () => {
  const { page, close } = await openPage(served('handshake_data_fin'));
  await ready(page);
  assert.equal(await page.locator('[data-bracket="handshake"] text').textContent(), 'Three-way handshake');
  assert.equal(await page.locator('[data-bracket="teardown"] text').textContent(), 'Teardown (FIN)');
  assert.equal(await page.locator('.dg-lane-addr').first().textContent(), '127.0.0.1:50000');
  assert.equal(await page.locator('.dg-lane-addr').nth(1).textContent(), '127.0.0.1:6666');
  const states = await page.locator('[data-state]').evaluateAll((els) => els.map((e) => `${e.dataset.side}:${e.textContent}`));
  for (const s of ['client:SYN-SENT', 'server:SYN-RECEIVED', 'client:ESTABLISHED', 'server:ESTABLISHED', 'client:FIN-WAIT-1',
    'server:CLOSE-WAIT', 'client:FIN-WAIT-2', 'server:LAST-ACK', 'client:TIME-WAIT', 'server:CLOSED']) {
    assert.ok(states.includes(s), s);
  }
  const refused = await openPage(served('refused'));
  await ready(refused.page);
  const td = refused.page.locator('[data-bracket="teardown"]');
  assert.equal(await td.getAttribute('data-label'), 'Connection refused');
  assert.ok(['Connection refused', 'Refused'].includes(await td.locator('text').textContent()), 'a one-row bracket may carry the short name');
  await refused.close();
  await close();
});

test('clicking a segment shows that frame\'s fields, note, state change and header bytes', async () => {
  const { page, close } = await openPage(served('handshake_data_fin'));
  await ready(page);
  const tl = timeline('handshake_data_fin');
  for (const frame of [2, 6, 14]) {
    await page.locator(`[data-frame="${frame}"] .dg-label`).click();
    const e = tl.events.find((x) => x.frame === frame);
    await page.waitForSelector(`#details [data-frame-shown="${frame}"]`);
    assert.equal(await page.locator('#details .note').textContent(), renderNote(e, 'en'));
    const text = await page.locator('#details').textContent();
    assert.ok(text.includes(String(e.seq_raw)), `frame ${frame}: raw seq shown`);
    assert.ok(text.includes(e.flags.join(', ')));
    if (e.states) assert.ok(text.includes(`${e.states[0].from} → ${e.states[0].to}`), 'the state change');
    const bytes = await page.locator('#details .byte').count();
    assert.ok(bytes >= 20, 'a byte view of the header');
    assert.equal(await page.locator(`[data-frame="${frame}"]`).getAttribute('class').then((c) => c.includes('dg-current')), true);
  }
  await close();
});

test('a segment with reserved header bits says so in its note and in a marked row of the details', async () => {
  const { page, close } = await openPage(served('crafted/reserved_bits'));
  await ready(page);
  const tl = timeline('crafted/reserved_bits');
  const odd = tl.events.filter((x) => x.reserved);
  assert.deepEqual(odd.map((x) => x.reserved), [1, 7], 'the capture holds a data segment with one bit and an RST with all three');
  for (const e of odd) {
    await page.locator(`[data-frame="${e.frame}"] .dg-label`).click();
    await page.waitForSelector(`#details [data-frame-shown="${e.frame}"]`);
    const row = page.locator('#details [data-field="reserved"]');
    assert.ok((await row.textContent()).includes(e.reserved.toString(2).padStart(3, '0')), `frame ${e.frame}: the bits shown`);
    assert.ok((await row.getAttribute('class')).includes('warn'), 'the row is marked');
    assert.match(await page.locator('#details .note').textContent(), /reserved header bits/);
  }
  // An ordinary segment has no such row.
  await page.locator('[data-frame="4"] .dg-label').click();
  await page.waitForSelector('#details [data-frame-shown="4"]');
  assert.equal(await page.locator('#details [data-field="reserved"]').count(), 0);
  await close();
});

test('a big timeline draws only the rows in view, and scrolling draws the others', async () => {
  const { page, close } = await openPage(served('loss_retrans'));
  await ready(page);
  const tl = timeline('loss_retrans');
  const d = await drawn(page);
  assert.ok(d.frames.length < 200, `only rows near the view are drawn (${d.frames.length})`);
  assert.equal(d.to - d.from, d.frames.length);
  assert.deepEqual(d.frames, tl.events.slice(d.from, d.to).map((e) => e.frame));
  await page.locator('#diagram-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction((last) => document.querySelector(`[data-frame="${last}"]`), tl.events.at(-1).frame);
  const end = await drawn(page);
  assert.equal(end.to, tl.events.length);
  assert.equal(end.to - end.from, end.frames.length);
  await close();
});

test('charts for the selected connection: time-sequence and window charts, kernel chart only with samples', async () => {
  const { page, close } = await openPage(served('loss_retrans'));
  await ready(page);
  await page.waitForSelector('#charts .uplot');
  assert.equal(await page.locator('#charts .uplot').count(), 2);
  assert.match(await page.locator('#charts h2').textContent(), /connection #0/);
  await close();
  // The same connection with kernel samples gains the cwnd chart.
  const tl = timeline('handshake_data_fin');
  tl.connections[0].kernel = pairedSamples().kernel;
  const file = path.join(tmp, 'kernel.html');
  writeFileSync(file, makeReport(tl));
  const k = await openPage(pathToFileURL(file).href);
  await ready(k.page);
  await k.page.waitForSelector('#charts figure[data-chart="kernel"] .uplot');
  assert.equal(await k.page.locator('#charts .uplot').count(), 3);
  const legend = await k.page.locator('#charts').textContent();
  assert.match(legend, /cwnd \(client\)/);
  assert.match(legend, /ssthresh \(server\)/);
  // What uPlot holds is every sample of the timeline, each at its own time.
  const drawnData = await k.page.evaluate(() => {
    const u = document.querySelector('figure[data-chart="kernel"]').plot;
    return { data: u.data, labels: u.series.map((x) => x.label), yMax: u.scales.y.max, yMin: u.scales.y.min,
      xMin: u.scales.x.min, xMax: u.scales.x.max };
  });
  for (const smp of tl.connections[0].kernel) {
    const col = drawnData.labels.indexOf(`cwnd (${smp.side})`);
    assert.ok(drawnData.data[0].some((t, i) => t === smp.t && drawnData.data[col][i] === smp.cwnd), `${smp.side} cwnd ${smp.cwnd} at ${smp.t}`);
  }
  assert.ok(drawnData.yMax >= 115 && drawnData.yMax < 140, `the y axis fits the data (max ${drawnData.yMax})`);
  assert.equal(drawnData.yMin, 0);
  assert.ok(drawnData.xMin <= 0 && drawnData.xMax >= 0.5 && drawnData.xMax < 0.6, `x fits the samples (${drawnData.xMin}..${drawnData.xMax})`);
  // Recovery and loss as marks with their meaning on hover, and listed.
  const marks = await k.page.locator('.ca-mark').evaluateAll((els) => els.map((e) => [e.dataset.ca, e.dataset.side, e.title]));
  assert.deepEqual(marks.map((m) => m[0]), ['recovery', 'open', 'loss', 'open']);
  assert.match(marks[0][2], /client enters Recovery at 0\.250000 s: fast recovery/);
  assert.match(marks[2][2], /retransmission timer expired/);
  assert.equal(await k.page.locator('.ca-list li').count(), 4);
  await k.page.locator('.ca-mark[data-ca="loss"]').hover();
  mkdirSync(path.join(WEB_ROOT, 'test-results'), { recursive: true });
  await k.page.locator('figure[data-chart="kernel"]').screenshot({ path: path.join(WEB_ROOT, 'test-results', 'kernel-chart.png') });
  await k.close();
});
