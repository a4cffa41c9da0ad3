import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterEvents, isPureAck, eventMatcher } from '../../src/filter.js';
import { timeline } from '../helpers/timelines.mjs';

const frames = (events, idx) => [...idx].map((i) => events[i].frame);

test('with no criteria every event is shown, in capture order', () => {
  const { events } = timeline('handshake_data_fin');
  assert.deepEqual(frames(events, filterEvents(events, {})), events.map((e) => e.frame));
});

test('a connection filter keeps only that connection\'s segments', () => {
  const { events } = timeline('port_reuse');
  const conns = new Set(events.map((e) => e.conn));
  assert.ok(conns.size >= 2);
  for (const c of conns) {
    const idx = filterEvents(events, { conn: c });
    assert.equal(idx.length, events.filter((e) => e.conn === c).length);
    assert.ok([...idx].every((i) => events[i].conn === c));
  }
});

test('"only flagged" keeps exactly the segments with an analysis tag', () => {
  const { events } = timeline('loss_retrans');
  const idx = filterEvents(events, { flaggedOnly: true });
  assert.equal(idx.length, events.filter((e) => e.analysis.length > 0).length);
  assert.ok(idx.length > 100);
});

test('"hide pure ACKs" hides data-less ACKs but keeps flagged ones and those that change a state', () => {
  const { events } = timeline('handshake_data_fin');
  const shown = new Set(frames(events, filterEvents(events, { hidePureAcks: true })));
  for (const e of events) {
    const pure = isPureAck(e);
    const keep = !pure || e.analysis.length > 0 || (e.states ?? []).length > 0;
    assert.equal(shown.has(e.frame), keep, `frame ${e.frame}`);
  }
  assert.ok(shown.has(3), 'the handshake\'s final ACK (server becomes ESTABLISHED) stays');
  assert.ok(!shown.has(5), 'a plain ACK of data goes');
  const lr = timeline('loss_retrans').events;
  const dup = lr.filter((e) => e.analysis.includes('duplicate_ack')).length;
  const kept = [...filterEvents(lr, { hidePureAcks: true })].filter((i) => lr[i].analysis.includes('duplicate_ack')).length;
  assert.equal(kept, dup, 'duplicate ACKs stay');
});

test('the payload search is case-insensitive and looks only at payloads', () => {
  const { events } = timeline('handshake_data_fin');
  const got = frames(events, filterEvents(events, { search: 'HELLO 2' }));
  assert.deepEqual(got, events.filter((e) => e.payload.toLowerCase().includes('hello 2')).map((e) => e.frame));
  assert.ok(got.length >= 1);
  assert.equal(filterEvents(events, { search: 'SYN' }).length, 0, 'flags are not payload');
  assert.equal(filterEvents(events, { search: '   ' }).length, events.length, 'blank search shows all');
});

test('filtering from an index looks only at the later events (for timelines still arriving)', () => {
  const { events } = timeline('handshake_data_fin');
  assert.deepEqual([...filterEvents(events, {}, 10)], events.slice(10).map((_, i) => i + 10));
});

test('the matcher tolerates events that are not objects or lack fields', () => {
  const m = eventMatcher({ hidePureAcks: true, search: 'x' });
  assert.equal(m(null), false);
  assert.equal(m({}), false);
  assert.equal(eventMatcher({})({}), true);
});
