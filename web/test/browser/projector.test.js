// The page as a class sees it on a projector: at 1024×768, 1280×720 and
// 1440×900, in English and Chinese, in the default layout and in projector
// mode. The screenshots go to screenshots/ (looked at by people, not
// compared by the test); the test checks what a teacher would notice: the
// toolbar in at most two rows, the selected segment's explanation on screen
// beside the diagram, nothing cut off sideways.
//
//   node --test test/browser/projector.test.js    (TCPVIZ=...; node build.mjs first)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve, WEB_ROOT } from '../helpers/server.mjs';
import { launch } from '../helpers/browser.mjs';
import { timelineText } from '../helpers/timelines.mjs';

const SIZES = [[1024, 768], [1280, 720], [1440, 900]];
let server;
let browser;

before(async () => {
  server = await serve(new Map([['/t/loss.json', { body: timelineText('loss_retrans') }]]));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function look(page) {
  return page.evaluate(() => {
    const box = (sel) => document.querySelector(sel)?.getBoundingClientRect();
    const rows = (sel) => {
      const tops = new Set();
      for (const el of document.querySelectorAll(`${sel} > *:not([hidden])`)) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && getComputedStyle(el).display !== 'none') tops.add(Math.round(r.top / 8));
      }
      return tops.size;
    };
    const note = box('#details .note');
    const diagram = box('#diagram-scroll');
    return {
      header: box('#header').height,
      headerRows: rows('#header .row1') + rows('#header .row2'),
      note: { top: note.top, bottom: note.bottom, left: note.left },
      diagram: { top: diagram.top, bottom: diagram.bottom, right: diagram.right, height: diagram.height },
      scrollWidth: document.documentElement.scrollWidth,
      width: innerWidth,
      height: innerHeight,
    };
  });
}

for (const [width, height] of SIZES) {
  for (const lang of ['en', 'zh']) {
    for (const projector of [false, true]) {
      const name = `${width}x${height}-${lang}${projector ? '-projector' : ''}`;
      test(`at ${name}: two toolbar rows at most, the explanation on screen beside the diagram`, async () => {
        const context = await browser.newContext({ viewport: { width, height } });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`${server.url}/index.html?timeline=/t/loss.json&lang=${lang}&theme=dark${projector ? '&projector=1' : ''}`);
        await page.waitForSelector('body[data-state="ready"]');
        await page.waitForFunction(() => !document.getElementById('status').textContent.includes('…'));
        await page.locator('[data-frame="4"] .dg-label').click();
        await page.waitForSelector('#details [data-frame-shown="4"]');
        const dir = path.join(WEB_ROOT, 'screenshots');
        mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: path.join(dir, `page-${name}.png`) });
        const l = await look(page);
        assert.ok(l.header <= (projector ? 120 : 100), `header ${l.header} px`);
        assert.ok(l.note.bottom <= height, `the explanation ends on screen (${l.note.bottom} of ${height})`);
        assert.ok(l.note.left >= l.diagram.right - 2, 'beside the diagram');
        assert.ok(l.diagram.height >= height * 0.5, `the diagram keeps most of the height (${l.diagram.height})`);
        assert.ok(l.scrollWidth <= width, `nothing wider than the screen (${l.scrollWidth})`);
        assert.equal(await page.evaluate(() => document.body.classList.contains('projector')), projector);
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
}
