// A windowed session's layout (layout.js): millions of rows laid out one row
// height apart, computed rather than kept, without asking the events for
// anything per row.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLayout } from '../../src/layout.js';

function windowedEvents(total, onLookup = () => {}) {
  const lookup = () => { onLookup(); return undefined; };
  const events = { windowed: true, length: total };
  for (const f of ['get', 't', 'frame', 'conn', 'len', 'ackRtt', 'flags', 'analysis', 'states', 'phase', 'payload']) events[f] = lookup;
  return events;
}

test('windowed rows are one row height apart and cost no per-row look-ups', () => {
  let lookups = 0;
  const total = 3_000_000;
  const events = windowedEvents(total, () => { lookups++; });
  const layout = createLayout({ events, connections: [] }, { mode: 'even', width: 800 });
  const before = lookups;
  layout.appendAll(total);
  assert.equal(lookups, before, 'no look-up per row');
  assert.equal(layout.count, total);
  const h = layout.rowHeight;
  assert.equal(layout.top(1) - layout.top(0), h);
  assert.equal(layout.top(total - 1) - layout.top(0), (total - 1) * h);
  assert.equal(layout.height, layout.top(total - 1) + 2 * h, 'the last row and a margin of one');
  assert.equal(layout.rowOfEvent(total - 1), total - 1);
  assert.equal(layout.rowOfEvent(total), -1);
  assert.equal(layout.eventAt(total - 1), total - 1);
  // The row under a y: what a walk over the tops gives.
  for (const y of [0, layout.top(0), layout.top(7) + 1, layout.top(40) + h - 1, layout.top(40) + h]) {
    let r = 0;
    while (r < total && layout.top(r) + h <= y) r++;
    assert.equal(layout.firstRowBelow(y, h), r, `y ${y}`);
  }
  assert.equal(layout.firstRowBelow(layout.top(123456) + h, h), 123457);
  assert.equal(layout.firstRowBelow(layout.top(123456) + h - 0.5, h), 123456);
  assert.equal(layout.firstRowBelow(layout.top(total - 1), 0), total);
  assert.equal(layout.firstRowBelow(layout.top(total - 1) - 1, 0), total - 1);
  assert.equal(layout.firstRowBelow(layout.height + 1e6, h), total);
});

test('a windowed layout filtered after all keeps the same rows and tops, as arrays', () => {
  const layout = createLayout({ events: windowedEvents(10), connections: [] }, { mode: 'even', width: 800 });
  layout.appendAll(6);
  const tops = Array.from({ length: 6 }, (_, i) => layout.top(i));
  const height = layout.height;
  assert.deepEqual([...layout.rows], [0, 1, 2, 3, 4, 5]);
  assert.deepEqual([...layout.y], tops);
  assert.equal(layout.height, height);
  layout.append(Int32Array.of(8, 9));
  assert.deepEqual([...layout.rows], [0, 1, 2, 3, 4, 5, 8, 9]);
  assert.equal(layout.rowOfEvent(8), 6);
  assert.equal(layout.eventAt(7), 9);
  assert.equal(layout.top(7) - layout.top(5), 2 * layout.rowHeight);
  assert.equal(layout.firstRowBelow(layout.top(6), layout.rowHeight), 6);
});
