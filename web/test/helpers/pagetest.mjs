// Shared by the browser tests of the page (test/browser/*.test.js): a static
// server on 127.0.0.1 holding the test captures' timelines and a few broken
// files, one chromium, and pages that record what must not happen.
//
// setup() registers the before/after hooks of the calling test file; server
// and browser are live bindings, set once before() has run.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, WEB_ROOT } from './server.mjs';
import { launch } from './browser.mjs';
import { timelineText } from './timelines.mjs';

export const CAPTURES = ['handshake_data_fin', 'loss_retrans', 'port_reuse', 'refused', 'zero_window', 'keepalive',
  'half_close', 'rst_linger', 'simultaneous_close', 'syn_retransmit', 'ipv6', 'crafted/reserved_bits'];
export const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

export let server;
export let browser;
export const tmp = mkdtempSync(path.join(os.tmpdir(), 'tcpviz-browser-'));

export function setup() {
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
}

/**
 * A new page that records what must not happen: console errors, uncaught
 * exceptions, dialogs (answered, and counted), requests off 127.0.0.1.
 */
export async function openPage(url, { viewport = { width: 1500, height: 950 } } = {}) {
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

export const served = (name, extra = '') => `${server.url}/index.html?timeline=/t/${name}.json${extra}`;

export async function ready(page) {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 15000 });
  await page.waitForFunction(() => !document.getElementById('status').textContent.includes('…'));
}

export async function drawn(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('#diagram-spacer svg');
    return {
      frames: [...document.querySelectorAll('[data-frame]')].map((g) => Number(g.getAttribute('data-frame'))),
      from: Number(svg.getAttribute('data-rows-from')),
      to: Number(svg.getAttribute('data-rows-to')),
    };
  });
}
