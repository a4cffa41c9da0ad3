import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventStore, asEvents } from '../../src/eventstore.js';
import { timeline } from '../helpers/timelines.mjs';
import { renderNote } from '../../src/notes.js';

const NAMES = ['handshake_data_fin', 'loss_retrans', 'port_reuse', 'refused', 'zero_window', 'keepalive',
  'half_close', 'rst_linger', 'simultaneous_close', 'syn_retransmit', 'ipv6'];

test('every event of every test capture comes back from the store as the timeline wrote it', () => {
  for (const name of NAMES) {
    const { events } = timeline(name);
    const store = createEventStore();
    for (const e of events) store.push(e);
    assert.equal(store.length, events.length);
    events.forEach((e, i) => assert.deepEqual(store.get(i), e, `${name} event ${i}`));
  }
});

test('the accessors read single fields as the objects hold them', () => {
  const { events } = timeline('loss_retrans');
  const store = createEventStore();
  for (const e of events) store.push(e);
  const plain = asEvents(events);
  for (const i of [0, 1, 2, 3, 100, events.length - 1]) {
    for (const f of ['t', 'frame', 'conn', 'len', 'flags', 'analysis', 'states', 'phase', 'payload']) {
      assert.deepEqual(store[f](i), plain[f](i), `${f} of ${i}`);
    }
    assert.equal(store.ackRtt(i), plain.ackRtt(i));
  }
});

test('odd and hostile members survive: nulls, missing fields, unknown keys, strange types, huge numbers', () => {
  const odd = [
    { frame: 1, t: 0, conn: 0, dir: 'c2s', flags: ['SYN'], seq: null, ack: null, len: null, win: null, payload: '</script><b>x</b>' },
    { frame: 2, t: 1.5, dir: 'sideways', flags: [1, 2], seq: 4294967295, seq_raw: 4294967295, in_flight: 2 ** 40, options: { mss: 'big', weird: 1 } },
    { frame: 3, note_id: 'data', note_args: [1, 2, 3, 4], note: 'not what the template says', extra: { a: [1] } },
    { frame: 4, t: 2, note_id: 'data', note_args: [8, 1, 8], dup_ack: { num: 1, of: 2, x: 3 }, truncated: true, malformed: false, problem: 'cut at 20' },
    { frame: 5, options: { sack: [[1, 2]], ts: [1, null] }, states: [{ side: 'client', from: 'A', to: 'B' }], win_scale: -2 },
    {},
  ];
  const store = createEventStore();
  for (const e of odd) store.push(e);
  odd.forEach((e, i) => {
    const back = store.get(i);
    const want = { ...e };
    // A note whose note_id the page knows is never shown as written (notes.js
    // renders it in the page's language): it comes back rendered.
    if (i === 3) want.note = '8 bytes of data from the client: stream bytes 1 to 8 (relative sequence numbers).';
    if (i === 2) want.note = renderNote(e, 'en');
    assert.deepEqual({ ...back }, want, `event ${i}`);
  });
  assert.equal(store.get(99), undefined);
});

test('a store grows past its first chunk and costs far less than the objects', () => {
  const { events } = timeline('loss_retrans');
  const store = createEventStore();
  const n = 150_000;
  for (let i = 0; i < n; i++) store.push({ ...events[i % events.length], frame: i + 1 });
  assert.equal(store.length, n);
  assert.equal(store.frame(n - 1), n);
  assert.equal(store.get(70_000).frame, 70_001);
  // Columns in chunks of 65,536 rows (150,000 events fill 3), payload text and SACK blocks
  // included (payload previews of up to 64 bytes, JSON-escaped); as objects about 1 kB.
  const perEvent = (store.columnBytes() + store.textBytes()) / n;
  assert.ok(perEvent < 300, `${perEvent.toFixed(0)} bytes per event in columns and text`);
  assert.equal(store.payload(n - 1), events[(n - 1) % events.length].payload);
});
