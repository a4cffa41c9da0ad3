// The byte path (linefeed.js + eventline.js): a timeline read from bytes
// into the store holds exactly what JSON.parse and push would have put there,
// whatever the chunk boundaries, and odd lines go the general way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createByteParser } from '../../src/linefeed.js';
import { createEventStore } from '../../src/eventstore.js';
import { createLineReader } from '../../src/eventline.js';
import { byteCache } from '../../src/bytenames.js';
import { TimelineError } from '../../src/timeline.js';
import { timelineText } from '../helpers/timelines.mjs';

const NAMES = ['handshake_data_fin', 'loss_retrans', 'port_reuse', 'refused', 'zero_window', 'keepalive',
  'half_close', 'rst_linger', 'simultaneous_close', 'syn_retransmit', 'ipv6'];

/** Reads `bytes` in chunks of `size`: { store, members, fromObjects } (events that came as objects). */
function readBytes(bytes, size, limit) {
  const store = createEventStore();
  const members = {};
  let fromObjects = 0;
  const parser = createByteParser({
    onEvents(batch) { fromObjects += batch.length; for (const e of batch) store.push(e); },
    onMember(k, v) { members[k] = v; },
  }, store, limit);
  for (let at = 0; at < bytes.length; at += size) parser.write(bytes.subarray(at, at + size));
  parser.end();
  return { store, members, fromObjects };
}

/** The store push() fills from the same events (the reference). */
function pushed(events) {
  const store = createEventStore();
  for (const e of events) store.push(e);
  return store;
}

function assertSame(store, events, label) {
  const ref = pushed(events);
  assert.equal(store.length, events.length, label);
  for (let i = 0; i < events.length; i++) assert.deepEqual(store.get(i), ref.get(i), `${label}: event ${i}`);
}

test('every test capture read from bytes gives the store push() gives, in any chunking, all lines taken', () => {
  for (const name of NAMES) {
    const text = timelineText(name);
    const json = JSON.parse(text);
    const bytes = new TextEncoder().encode(text);
    for (const size of [bytes.length, 4096, 777, 13]) {
      if (size === 13 && bytes.length > 300000) continue; // the smallest pieces only on the small ones
      const { store, members, fromObjects } = readBytes(bytes, size);
      assertSame(store, json.events, `${name} in chunks of ${size}`);
      assert.equal(fromObjects, 0, `${name}: every event line read from bytes`);
      assert.deepEqual(members.connections, json.connections);
      assert.deepEqual(members.stats, json.stats);
    }
  }
});

test('lines the reader does not know go the general way, in order, and come out the same', () => {
  const odd = [
    { frame: 1, t: 0, conn: 0, dir: 'c2s', flags: ['SYN'], seq: null, ack: null, len: null, win: null, payload: '</script>\u2028é😀\\x00' },
    { frame: 2, t: 1.5, dir: 'sideways', flags: [1, 2], seq: 4294967295, in_flight: 2 ** 40, options: { mss: 'big', weird: 1 } },
    { frame: 3, t: 1e-7, note_id: 'data', note_args: [1, 2, 3, 4], note: 'not what the template says', extra: { a: [1] } },
    { frame: 4, t: 2.000001, note_id: 'data', note_args: [8, 1, 8], dup_ack: { num: 1, of: 2 }, truncated: true, malformed: false },
    { frame: 5, t: 123456789.123456, options: { sack: [[1, 2], [5, 9]], ts: [1, 2] }, states: [{ side: 'client', from: 'A', to: 'B' }], win_scale: -2 },
    { frame: 6, t: -0, seq: 1e300, ack: 12345678901234567000, ack_rtt: 0.1, note_id: 'no_such_note', note: 'kept as written' },
    { frame: 7, payload: '' },
    {},
  ];
  const lines = odd.map((e) => JSON.stringify(e));
  lines.splice(3, 0, JSON.stringify(odd[0]).replace('"frame":1', '"frame" : 1')); // spaces: still read
  const events = lines.map((l) => JSON.parse(l));
  const text = `{"format":"tcpviz-timeline","version":1,\n"events":[\n${lines.join(',\n')}\n],\n"connections":[]}\n`;
  const bytes = new TextEncoder().encode(text);
  for (const size of [bytes.length, 50, 3]) {
    const { store, fromObjects } = readBytes(bytes, size);
    assertSame(store, events, `chunks of ${size}`);
    assert.ok(fromObjects >= 2, `some lines went the general way (${fromObjects})`);
  }
  // The payload with escapes and characters past ASCII, read from bytes, comes back as it was.
  const store = createEventStore();
  const reader = createLineReader(store);
  const line = new TextEncoder().encode(`${JSON.stringify(odd[0])},\n`);
  assert.equal(reader.line(line, 0, line.length), true);
  assert.equal(reader.comma, true);
  assert.equal(store.payload(0), odd[0].payload);
});

test('a timeline on one line, pretty-printed, or broken: the same as the general parser says', () => {
  const json = JSON.parse(timelineText('handshake_data_fin'));
  for (const text of [JSON.stringify(json), JSON.stringify(json, null, 2)]) {
    const { store, fromObjects } = readBytes(new TextEncoder().encode(text), 1000);
    assertSame(store, json.events, 'reformatted');
    assert.equal(fromObjects, json.events.length);
  }
  const good = timelineText('handshake_data_fin');
  const broken = [good.replace('"payload":"', '"payload":"\\q'), good.slice(0, good.length / 2), good.replace('"t":0', '"t":01')];
  for (const text of broken) {
    assert.throws(() => readBytes(new TextEncoder().encode(text), 4096), (e) => e instanceof TimelineError && e.code === 'not_json');
  }
});

test('with a limit the store stops at exactly that many events', () => {
  const bytes = new TextEncoder().encode(timelineText('loss_retrans'));
  const { store } = readBytes(bytes, 65536, 100);
  assert.equal(store.length, 100);
});

test('values looked up by their bytes: right ids before and past the bound on kept values', () => {
  const made = [];
  const cache = byteCache((v) => { made.push(v); return v.length; });
  const enc = new TextEncoder();
  const at = (text) => { const b = enc.encode(`xx${text}yy`); return cache(b, 2, b.length - 2); };
  for (let i = 0; i < 70000; i++) assert.equal(at(JSON.stringify(`v${'w'.repeat(i % 7)}${i}`)), `v${'w'.repeat(i % 7)}${i}`.length);
  const before = made.length;
  assert.equal(at('"v0"'), 2);          // kept: not decoded again
  assert.equal(made.length, before);
  assert.equal(at('"v69999"'), 6);      // past the bound: decoded again, still right
  assert.equal(made.length, before + 1);
  assert.equal(at('not json'), 0);
});
