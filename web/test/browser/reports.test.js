// The page in Debian's chromium (playwright-core) as a self-contained report:
// hostile payload shown as text, odd values still explained, tcpviz analyze
// --html end to end, and the README's screenshots.
//
//   node --test test/browser/    (TCPVIZ=/path/to/tcpviz; node build.mjs first)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_ROOT } from '../helpers/server.mjs';
import { timeline, tcpvizPath } from '../helpers/timelines.mjs';
import { makeReport } from '../helpers/report.mjs';
import { conversationPcap } from '../helpers/pcap.mjs';
import { execFileSync } from 'node:child_process';
import { setup, tmp, HOSTILE, openPage, served, ready, drawn } from '../helpers/pagetest.mjs';

setup();

test('a report whose payload is script and markup shows it as text, runs nothing and inserts nothing', async () => {
  // The same report twice, with a plain and with a hostile payload: the
  // documents must end up with the same number of elements.
  const make = (payload) => {
    const tl = timeline('handshake_data_fin');
    const target = tl.events.find((e) => e.len > 0);
    target.payload = payload;
    target.note = payload;
    tl.connections[0].client.ip = payload === HOSTILE ? '<b>127.0.0.1</b>' : 'b127.0.0.1b';
    tl.source.file = payload === HOSTILE ? '<img src=x onerror=alert(3)>\u2028.pcap' : 'x.pcap';
    return { tl, target, html: makeReport(tl) };
  };
  const plain = make('plain text, nothing to see');
  const hostile = make(HOSTILE);
  assert.ok(!hostile.html.includes('</script><script>alert(1)'), 'the JSON in the file is escaped');
  const summary = async (file) => {
    const opened = await openPage(pathToFileURL(file).href);
    await ready(opened.page);
    await opened.page.locator(`[data-frame="${hostile.target.frame}"] .dg-label`).click();
    await opened.page.waitForTimeout(300);
    const counts = await opened.page.evaluate(() => ({
      elements: document.getElementsByTagName('*').length,
      scripts: document.scripts.length,
      imgs: document.getElementsByTagName('img').length,
      bold: document.getElementsByTagName('b').length,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
      frames: [...document.querySelectorAll('[data-frame]')].map((g) => Number(g.dataset.frame)),
    }));
    return { ...opened, counts };
  };
  writeFileSync(path.join(tmp, 'plain-report.html'), plain.html);
  writeFileSync(path.join(tmp, 'hostile-report.html'), hostile.html);
  const a = await summary(path.join(tmp, 'plain-report.html'));
  await a.close();
  const { page, close, counts } = await summary(path.join(tmp, 'hostile-report.html'));
  assert.equal(counts.elements, a.counts.elements, 'no element was inserted from the timeline');
  assert.equal(counts.scripts, 2, 'only the JSON element and the page script');
  assert.equal(counts.imgs, 0);
  assert.equal(counts.bold, 0);
  assert.equal(counts.handlers, 0);
  assert.deepEqual(counts.frames, hostile.tl.events.map((e) => e.frame), 'every segment drawn');
  const payloadText = await page.locator(`[data-frame="${hostile.target.frame}"] .dg-payload`).textContent();
  assert.ok(payloadText.startsWith('“</script><script>alert(1)'), `shown as text: ${payloadText}`);
  assert.equal(await page.locator('#details .payload').textContent(), HOSTILE);
  assert.equal(await page.locator('.dg-lane-addr').first().textContent(), '<b>127.0.0.1</b>:50000');
  assert.ok((await page.locator('#status').textContent()).includes('<img src=x onerror=alert(3)>'));
  mkdirSync(path.join(WEB_ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: path.join(WEB_ROOT, 'test-results', 'hostile-report.png') });
  await close();
});

test('a timeline with odd values (missing fields, wrong types, unknown names) still draws and explains every segment', async () => {
  const odd = {
    format: 'tcpviz-timeline',
    version: 1,
    events: [
      { frame: 1 },
      { frame: 2, t: 'soon', conn: 7, dir: 'sideways', flags: 'SYN', seq: null, analysis: ['from_the_future', 42], states: [{ side: 'moon', to: 'X' }, null] },
      { frame: 3, t: 0.1, conn: 0, dir: 's2c', flags: ['ACK', 7], len: -1, win: 'big', options: { list: [{ kind: 99, len: 200 }, null], sack: 'x', ts: [1] }, note_id: 'constructor', note: 'fallback note' },
      { frame: 4, t: 0.2, conn: 0, dir: 'c2s', flags: ['PSH', 'ACK'], len: 5, payload: 12345, truncated: true, problem: { why: 'cut' }, dup_ack: 'no' },
      { frame: 5, t: 0.3, conn: 0, dir: 'c2s', flags: ['FIN', 'ACK'], phase: 'teardown', states: [{ side: 'client', from: 'ESTABLISHED', to: 'FIN-WAIT-1' }] },
    ],
    connections: [null, { id: 0, client: { ip: 5 }, server: null, teardown: 'fin', counts: 3, analysis_counts: { retransmission: 'many' } }],
  };
  const file = path.join(tmp, 'odd.html');
  writeFileSync(file, makeReport(odd));
  const { page, close } = await openPage(pathToFileURL(file).href);
  await ready(page);
  assert.deepEqual((await drawn(page)).frames, [1, 2, 3, 4, 5]);
  for (const frame of [1, 2, 3, 4, 5]) {
    await page.locator(`[data-frame="${frame}"] .dg-arrow`).click({ force: true });
    await page.waitForSelector(`#details [data-frame-shown="${frame}"]`);
  }
  assert.equal(await page.locator('[data-frame="4"]').getAttribute('class').then((c) => c.includes('dg-problem')), true);
  await page.locator('[data-frame="3"] .dg-arrow').click({ force: true });
  assert.equal(await page.locator('#details .note').textContent(), 'fallback note');
  await close();
});

test('tcpviz analyze --html on a capture whose chat payload is markup: every segment drawn, the text shown as text', async () => {
  // End to end: a real pcap, the analyzer's own report writer, the page.
  const reports = {};
  for (const [name, question, answer] of [
    ['plain', 'a perfectly harmless question of 62 characters, nothing more!', 'a harmless answer ok'],
    ['hostile', HOSTILE, 'echo: <b>hi</b> & bye'],
  ]) {
    const pcap = path.join(tmp, `${name}.pcap`);
    writeFileSync(pcap, conversationPcap(question, answer));
    const html = path.join(tmp, `${name}-cli-report.html`);
    const json = path.join(tmp, `${name}-cli.json`);
    execFileSync(tcpvizPath(), ['analyze', pcap, '-o', json, '--html', html], { stdio: ['ignore', 'ignore', 'pipe'] });
    reports[name] = { html, tl: JSON.parse(readFileSync(json, 'utf8')) };
  }
  const raw = readFileSync(reports.hostile.html, 'utf8');
  assert.ok(!raw.includes('</script><script>alert(1)'), 'the report file holds the payload escaped');
  const look = async (file) => {
    const opened = await openPage(pathToFileURL(file).href);
    await ready(opened.page);
    const counts = await opened.page.evaluate(() => ({
      elements: document.getElementsByTagName('*').length,
      imgs: document.getElementsByTagName('img').length,
      frames: [...document.querySelectorAll('[data-frame]')].map((g) => Number(g.dataset.frame)),
      payloads: [...document.querySelectorAll('.dg-payload')].map((t) => t.textContent),
    }));
    return { ...opened, counts };
  };
  const plain = await look(reports.plain.html);
  await plain.close();
  const { page, close, counts } = await look(reports.hostile.html);
  assert.deepEqual(counts.frames, reports.hostile.tl.events.map((e) => e.frame), 'every segment is a [data-frame] element');
  assert.equal(counts.elements, plain.counts.elements, 'no element inserted');
  assert.equal(counts.imgs, 0);
  assert.ok(counts.payloads.some((p) => p.startsWith('“</script><script>alert(1)')), counts.payloads.join(' | '));
  assert.ok(counts.payloads.some((p) => p.includes('<b>hi</b> & bye')));
  const dataFrame = reports.hostile.tl.events.find((e) => e.payload.startsWith('</script>')).frame;
  await page.locator(`[data-frame="${dataFrame}"] .dg-label`).click();
  assert.equal(await page.locator('#details .payload').textContent(), HOSTILE);
  await close();
});

test('screenshots of the demo timeline in both themes (for the README)', async () => {
  const dir = path.join(WEB_ROOT, 'screenshots');
  mkdirSync(dir, { recursive: true });
  for (const theme of ['dark', 'light']) {
    const { page, close } = await openPage(served('handshake_data_fin', `&theme=${theme}&lang=en`), { viewport: { width: 1440, height: 1130 } });
    await ready(page);
    await page.locator('[data-frame="4"] .dg-label').click();
    await page.waitForSelector('#details [data-frame-shown="4"]');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
    const out = path.join(dir, `demo-${theme}.png`);
    await page.screenshot({ path: out });
    assert.ok(readFileSync(out).length > 20000);
    await close();
  }
});
