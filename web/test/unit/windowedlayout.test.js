// A windowed session's layout (layout.js appendUntimed): millions of rows laid
// out one row height apart without asking the events for anything per row.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLayout } from '../../src/layout.js';
import { filterEvents } from '../../src/filter.js';

test('windowed rows are one row height apart and cost no per-row look-ups', () => {
  let lookups = 0;
  const counted = () => { lookups++; return undefined; };
  const total = 3_000_000;
  const events = {
    windowed: true, length: total, get: counted, t: counted, frame: counted, conn: counted, len: counted,
    ackRtt: counted, flags: counted, analysis: counted, states: counted, phase: counted, payload: counted,
  };
  const layout = createLayout({ events, connections: [] }, { mode: 'even', width: 800 });
  const before = lookups;
  layout.append(filterEvents(events, {}));
  assert.equal(lookups, before, 'no look-up per row');
  assert.equal(layout.count, total);
  const y = layout.y;
  const h = layout.rowHeight;
  assert.equal(y.length, total);
  assert.equal(y[1] - y[0], h);
  assert.equal(y[total - 1] - y[0], (total - 1) * h);
  assert.equal(layout.height, y[total - 1] + 2 * h, 'the last row and a margin of one');
  assert.equal(layout.rowOfEvent(total - 1), total - 1);
});
