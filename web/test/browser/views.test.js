// The details pane's layers view and follow-stream panel in Debian's chromium:
// the layers of a clicked segment, in English and Chinese; a connection's
// stream in read order (out-of-order capture), the selected segment marked;
// a hostile payload shown as text. Screenshots go to test-results/ for people
// to look at (views-*.png).
//
//   node --test test/browser/views.test.js    (TCPVIZ=...; node build.mjs first)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve, WEB_ROOT } from '../helpers/server.mjs';
import { launch } from '../helpers/browser.mjs';
import { timelineText, tcpvizPath, CAPTURES } from '../helpers/timelines.mjs';

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
const SHOTS = path.join(WEB_ROOT, 'test-results');
let server;
let browser;

const crafted = (name) => execFileSync(tcpvizPath(), ['analyze', path.join(CAPTURES, 'crafted', `${name}.pcap`)], { encoding: 'utf8' });

before(async () => {
  for (const f of ['dist/index.html', 'vendor/uPlot.esm.js', 'src/layer-names.js']) {
    if (!existsSync(path.join(WEB_ROOT, f))) throw new Error(`${f} is missing: run "node build.mjs" in web/ first`);
  }
  const hostile = JSON.parse(timelineText('handshake_data_fin'));
  for (const e of hostile.events) if (e.frame === 4) e.payload = HOSTILE;
  server = await serve(new Map([
    ['/t/handshake.json', { body: timelineText('handshake_data_fin') }],
    ['/t/ooo.json', { body: crafted('out_of_order') }],
    ['/t/hostile.json', { body: JSON.stringify(hostile) }],
  ]));
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// The details pane scrolls; an element screenshot of a part below its fold
// shows the wrong pixels, so the part is scrolled to the top of the pane and
// the pane is photographed.
async function shoot(page, selector, file) {
  await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.locator('#details').screenshot({ path: path.join(SHOTS, file) });
}

async function open(name, lang = 'en') {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.goto(`${server.url}/index.html?timeline=/t/${name}.json&lang=${lang}`);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 15000 });
  return {
    page,
    async close() {
      assert.deepEqual(errors, [], 'no console errors, exceptions or dialogs');
      await context.close();
    },
  };
}

const layerRows = (page) => page.locator('#details .layers-view .layer').evaluateAll((els) => els.map((el) => ({
  kind: el.dataset.layer,
  title: el.querySelector('.layer-title').textContent,
  fields: Object.fromEntries([...el.querySelectorAll('tr')].map((tr) => [tr.dataset.fieldId, tr.querySelector('td').textContent])),
})));

test('the layers of a clicked segment: link, IP, TCP, its options and payload, each field named', async () => {
  const { page, close } = await open('handshake');
  await page.locator('[data-frame="4"] .dg-label').click();
  const layers = await layerRows(page);
  assert.deepEqual(layers.map((l) => l.kind), ['ethernet', 'ipv4', 'tcp', 'tcp_option', 'tcp_option', 'tcp_option', 'payload']);
  assert.equal(layers[0].title, 'Ethernet II (link layer)');
  assert.equal(layers[0].fields['eth.src'], '—', 'what the timeline does not keep is shown missing');
  assert.equal(layers[1].fields['ip.src'], '127.0.0.1');
  assert.equal(layers[2].fields['tcp.srcport'], '50000');
  assert.equal(layers[2].fields['tcp.dstport'], '6666');
  assert.equal(layers[2].fields['tcp.flags'], 'PSH,ACK');
  assert.equal(layers[5].title, 'TCP option: timestamps');
  assert.equal(layers[6].fields['tcp.payload'], 'hello 1\\n');
  const hint = await page.locator('#details .layers-view').textContent();
  assert.ok(hint.includes('Rebuilt from the timeline'), 'labelled as rebuilt');
  assert.ok(hint.includes('--format layers --frame 4'), 'names the command for the real bytes');
  await shoot(page, '#details .layers-view', 'views-layers-en.png');
  await close();
});

test('the layers view in Chinese', async () => {
  const { page, close } = await open('handshake', 'zh');
  await page.locator('[data-frame="1"] .dg-label').click();
  const layers = await layerRows(page);
  assert.equal(layers[2].title, 'TCP（传输层）');
  assert.equal(layers[1].title, 'IPv4（网络层）');
  const text = await page.locator('#details .layers-view').textContent();
  for (const word of ['源端口', '序号', '确认号', '根据时间线中的字段重建']) assert.ok(text.includes(word), word);
  assert.ok(!text.includes('source port'));
  await shoot(page, '#details .layers-view', 'views-layers-zh.png');
  await close();
});

test('follow stream: bytes in read order, the early segment held for the gap, the selected one marked', async () => {
  const { page, close } = await open('ooo');
  await page.locator('[data-frame="5"] .dg-label').click();
  await page.locator('#details button.follow-stream').click();
  const view = page.locator('#details .stream-view');
  await view.waitFor();
  const c2s = view.locator('.stream-direction').first();
  const frames = await c2s.locator('.stream-data').evaluateAll((els) => els.map((el) => Number(el.dataset.frame)));
  assert.deepEqual(frames, [4, 7, 5], 'read order, not capture order');
  const marks = await c2s.locator('.stream-mark').allTextContents();
  assert.ok(marks[2].includes('read once frame 7 filled the gap'), marks[2]);
  assert.ok(marks.some((m) => m.includes('FIN')), 'the FIN is marked');
  assert.equal(await c2s.locator('.stream-current').getAttribute('data-frame'), '5');
  assert.ok((await view.textContent()).includes('payload previews'), 'says it shows previews');
  // Stepping to the next segment of the same connection keeps the panel open.
  await page.keyboard.press('ArrowDown');
  await view.waitFor();
  assert.equal(await page.locator('#details .stream-view').count(), 1);
  await shoot(page, '#details .follow', 'views-stream-en.png');
  await close();
});

test('follow stream in Chinese, and a hostile payload stays text', async () => {
  const { page, close } = await open('hostile', 'zh');
  await page.locator('[data-frame="4"] .dg-label').click();
  const before = await page.evaluate(() => document.getElementsByTagName('*').length);
  await page.locator('#details button.follow-stream').click();
  const view = page.locator('#details .stream-view');
  await view.waitFor();
  const text = await view.locator('.stream-direction').first().locator('.stream-text').first().textContent();
  assert.equal(text, HOSTILE);
  const counts = await page.evaluate(() => ({
    scripts: document.scripts.length,
    imgs: document.getElementsByTagName('img').length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  }));
  assert.deepEqual(counts.imgs, 0);
  assert.deepEqual(counts.handlers, 0);
  assert.ok(await page.evaluate(() => document.getElementsByTagName('*').length) > before);
  const all = await view.textContent();
  for (const word of ['连接 #0', '客户端', '帧 4', '载荷预览']) assert.ok(all.includes(word), word);
  await shoot(page, '#details .follow', 'views-stream-zh.png');
  await close();
});
