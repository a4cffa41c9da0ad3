import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scrollMapping, MAX_SCROLL_PX } from '../../src/diagram.js';

test('a drawing that fits scrolls as it is', () => {
  const m = scrollMapping(50_000, 800);
  assert.equal(m.ratio, 1);
  assert.equal(m.scrollHeight, 50_000);
  assert.equal(m.toContent(1234), 1234);
});

test('a drawing of a million 52 px rows maps onto the scroll area, and its end is reachable', () => {
  const height = 1_000_000 * 52 + 100;
  const viewH = 700;
  const m = scrollMapping(height, viewH);
  assert.equal(m.scrollHeight, MAX_SCROLL_PX);
  assert.ok(MAX_SCROLL_PX < 33_000_000, 'below what Chromium allows an element');
  // The scrollbar at its end shows the end of the drawing.
  assert.equal(Math.round(m.toContent(m.scrollHeight - viewH)), height - viewH);
  assert.equal(m.toContent(0), 0);
  const y = 40_000_000;
  assert.ok(Math.abs(m.toContent(m.toScroll(y)) - y) < 1e-6);
});
