// The page in Debian's chromium, driven by playwright-core, as a user would
// meet it: served on 127.0.0.1 with ?timeline=URL, opened from disk as one
// file, and as a self-contained report holding a hostile payload.
//
//   node --test test/browser/    (TCPVIZ=/path/to/tcpviz; node build.mjs first)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, WEB_ROOT } from '../helpers/server.mjs';
import { launch } from '../helpers/browser.mjs';
import { timelineText, timeline } from '../helpers/timelines.mjs';
import { makeReport } from '../helpers/report.mjs';
import { pairedSamples } from '../helpers/kernel.mjs';
import { conversationPcap } from '../helpers/pcap.mjs';
import { tcpvizPath } from '../helpers/timelines.mjs';
import { execFileSync } from 'node:child_process';
import { renderNote } from '../../src/notes.js';
import { filterEvents } from '../../src/filter.js';

const CAPTURES = ['handshake_data_fin', 'loss_retrans', 'port_reuse', 'refused', 'zero_window', 'keepalive',
  'half_close', 'rst_linger', 'simultaneous_close', 'syn_retransmit', 'ipv6'];
const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

let server;
let browser;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tcpviz-browser-'));

before(async () => {
  for (const f of ['dist/index.html', 'dist/report-template.html', 'vendor/uPlot.esm.js']) {
    if (!existsSync(path.join(WEB_ROOT, f))) throw new Error(`${f} is missing: run "node build.mjs" in web/ first`);
  }
  const files = new Map();
  for (const name of CAPTURES) files.set(`/t/${name}.json`, { body: timelineText(name) });
  files.set('/t/not-json.json', { body: '{"format": "tcpviz-timeline", "version": 1, "events": [ {"frame": 1,, ] }' });
  files.set('/t/version2.json', { body: '{"format":"tcpviz-timeline","version":2,"events":[],"connections":[]}' });
  files.set('/t/capture.pcap', { body: readFileSync(path.join(WEB_ROOT, '..', 'tests', 'captures', 'refused.pcap')), type: 'application/octet-stream' });
  server = await serve(files);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A new page that records what must not happen: console errors, uncaught
 * exceptions, dialogs (answered, and counted), requests off 127.0.0.1.
 */
async function openPage(url, { viewport = { width: 1500, height: 950 } } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = { errors: [], dialogs: [], offHost: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.errors.push(m.text()); });
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  page.on('dialog', (d) => { problems.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => {
    const u = new URL(r.url());
    const local = ['data:', 'blob:', 'file:'].includes(u.protocol) || u.hostname === '127.0.0.1';
    if (!local) problems.offHost.push(r.url());
  });
  await context.route((u) => !['127.0.0.1'].includes(u.hostname) && !['data:', 'blob:', 'file:'].includes(u.protocol),
    (route) => route.abort());
  await page.goto(url);
  return {
    page,
    problems,
    goto: (next) => page.goto(next),
    async close({ allowErrors = false } = {}) {
      if (!allowErrors) assert.deepEqual(problems.errors, [], 'no console errors');
      assert.deepEqual(problems.dialogs, [], 'no dialog opened');
      assert.deepEqual(problems.offHost, [], 'no request left 127.0.0.1');
      await context.close();
    },
  };
}

const served = (name, extra = '') => `${server.url}/index.html?timeline=/t/${name}.json${extra}`;

async function ready(page) {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 15000 });
  await page.waitForFunction(() => !document.getElementById('status').textContent.includes('…'));
}

async function drawn(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('#diagram-spacer svg');
    return {
      frames: [...document.querySelectorAll('[data-frame]')].map((g) => Number(g.getAttribute('data-frame'))),
      from: Number(svg.getAttribute('data-rows-from')),
      to: Number(svg.getAttribute('data-rows-to')),
    };
  });
}

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

test('served, the page asks for nothing that is not there (favicon included)', async () => {
  const { page, close, problems } = await openPage(served('handshake_data_fin'));
  await ready(page);
  const missing = server.requests.filter((u) => u.includes('favicon'));
  assert.deepEqual(missing, [], 'no request for /favicon.ico');
  assert.match(await page.locator('link[rel="icon"]').getAttribute('href'), /^data:image\/svg\+xml,/);
  assert.deepEqual(problems.errors, []);
  await close();
});
