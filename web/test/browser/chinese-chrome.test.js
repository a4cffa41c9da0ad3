// The page in Chinese keeps no English word in its visible chrome (header,
// toolbar, connection list, lanes, status line, details pane), whether it
// starts in Chinese or is switched to it; and in English a count of one is
// singular ("1 connection", not "1 connections").
//
//   node --test test/browser/chinese-chrome.test.js    (TCPVIZ=/path/to/tcpviz; node build.mjs first)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serve, WEB_ROOT } from '../helpers/server.mjs';
import { launch } from '../helpers/browser.mjs';
import { timelineText } from '../helpers/timelines.mjs';

// Words that stay as they are in the Chinese page, as in the course notes:
// TCP's own terms and field names, file formats, units, the name of the
// other language in the language menu, and the product's name.
const KEPT = new Set([
  'TCP', 'IP', 'IPv4', 'IPv6', 'SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR', 'NS', 'RTT', 'RTO', 'SACK',
  'MSS', 'ISN', 'WS', 'TS', 'TSval', 'TSecr', 'NOP', 'EOL', 'SACK_PERM', 'seq', 'ack', 'win', 'len', 'cwnd',
  'ssthresh', 'SVG', 'PNG', 'JSON', 'ms', 'English', 'tcpviz', 'ESTABLISHED', 'CLOSED', 'LISTEN',
  'SYN-SENT', 'SYN-RECEIVED', 'MAC', 'TTL', 'II', 'UDP', 'ICMP', 'ICMPv6', 'VLAN',
]);

let server;
let browser;

before(async () => {
  for (const f of ['index.html', 'vendor/uPlot.esm.js', 'src/note-table.js']) {
    if (!existsSync(path.join(WEB_ROOT, f))) throw new Error(`${f} is missing: run "node build.mjs" in web/ first`);
  }
  server = await serve(new Map([['/t/refused.json', { body: timelineText('refused') }]]));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The text a user can read in the page's chrome: shown text, placeholders and tooltips. */
function chromeText(page) {
  return page.evaluate(() => {
    const parts = [];
    for (const sel of ['#header', '#sidebar', '#lane-header', '#statusbar', '#details']) {
      const el = document.querySelector(sel);
      if (!el) continue;
      if (sel === '#details') {
        // The header bytes are hexadecimal digits ("ff"), not words: left out.
        // Commands to type (<code>) are the program's own words, not the page's.
        const copy = el.cloneNode(true);
        for (const x of copy.querySelectorAll('.bytes-grid, .bytes-legend .mono, code')) x.remove();
        parts.push(copy.textContent);
      } else {
        parts.push(el instanceof HTMLElement ? el.innerText : el.textContent);
      }
      for (const x of el.querySelectorAll('[placeholder], [title]')) {
        if (x.closest('[hidden]')) continue;
        // A layer field's tooltip is Wireshark's filter name for it (ip.ttl): an identifier, kept as is.
        if (x.closest('.layers-view') && x.matches('th')) continue;
        parts.push(x.getAttribute('placeholder') ?? '', x.getAttribute('title') ?? '');
      }
    }
    return parts.join('\n');
  });
}

/** Latin words of the text that are not kept terms, nor the timeline's file name. */
function englishWords(text) {
  const cleaned = text.replace(/\brefused\.json\b/g, '').replace(/\b0x[0-9a-fA-F]+\b/g, '')
    .replace(/\d+(\.\d+)+(:\d+)?/g, '');
  return [...cleaned.matchAll(/[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]/g)].map((m) => m[0]).filter((w) => !KEPT.has(w));
}

async function open(lang) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/index.html?timeline=/t/refused.json&lang=${lang}`);
  await page.waitForSelector('body[data-state="ready"]');
  return { page, errors, close: () => context.close() };
}

test('switched to Chinese, the page keeps no English word in its chrome, before and after a segment is chosen', async () => {
  const { page, errors, close } = await open('en');
  try {
    await page.selectOption('#lang', 'zh');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    const before = await chromeText(page);
    assert.match(before, /点击一个报文段/, 'the details pane hint is in Chinese');
    assert.deepEqual(englishWords(before), [], before);
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('#details [data-frame-shown]');
    const after = await chromeText(page);
    assert.deepEqual(englishWords(after), [], after);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('started in Chinese, the status line counts in Chinese; in English one connection is singular', async () => {
  const zh = await open('zh');
  try {
    const status = await zh.page.locator('#status').textContent();
    assert.match(status, /1 个连接/, status);
    assert.deepEqual(englishWords(await chromeText(zh.page)), []);
  } finally {
    await zh.close();
  }
  const en = await open('en');
  try {
    const status = await en.page.locator('#status').textContent();
    assert.match(status, /\b1 connection\b(?!s)/, status);
    assert.match(status, /\b2 segments\b/, status);
  } finally {
    await en.close();
  }
});
