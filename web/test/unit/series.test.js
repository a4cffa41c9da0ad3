import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timeSequenceSeries, windowSeries, kernelSeries, dataDirection, chartEvents } from '../../src/series.js';
import { createEventStore } from '../../src/eventstore.js';
import { timeline } from '../helpers/timelines.mjs';
import { pairedSamples } from '../helpers/kernel.mjs';

test('the time-sequence graph follows the data direction; retransmissions are their own series', () => {
  const { events } = timeline('loss_retrans');
  const dir = dataDirection(events);
  const { columns } = timeSequenceSeries(events);
  const [x, data, retrans, ack, edge] = columns;
  for (const c of columns) assert.equal(c.length, x.length);
  const isRe = (e) => e.analysis.some((a) => a.endsWith('retransmission'));
  const fwdData = events.filter((e) => e.dir === dir && e.len > 0);
  assert.equal(retrans.filter((v) => v !== null).length, fwdData.filter(isRe).length);
  assert.equal(data.filter((v) => v !== null).length, fwdData.filter((e) => !isRe(e)).length);
  assert.ok(retrans.filter((v) => v !== null).length > 10);
  assert.ok(ack.filter((v) => v !== null).length > 100);
  const i = edge.findIndex((v) => v !== null);
  assert.ok(edge[i] >= ack[i], 'the window edge is at or above the ACK');
  for (let k = 1; k < x.length; k++) assert.ok(x[k] >= x[k - 1], 'time goes forward');
});

test('the window chart has each side\'s window and bytes in flight, no SYN windows (unscaled)', () => {
  const { events } = timeline('zero_window');
  const { columns } = windowSeries(events);
  const [x, wc, ws, fc] = columns;
  assert.equal(x.length, events.length);
  assert.equal(wc[0], null, 'the SYN\'s window is not scaled yet: left out');
  assert.ok(ws.includes(0) || wc.includes(0), 'the zero window shows');
  assert.ok(fc.some((v) => v !== null && v > 0));
});

test('kernel series: null without samples, cwnd/ssthresh columns per side with them', () => {
  assert.equal(kernelSeries(timeline('handshake_data_fin').connections[0]), null);
  const one = kernelSeries({ kernel: [{ t: 0.2, side: 'client', cwnd: 20, ssthresh: 2147483647 }, { t: 0.1, side: 'client', cwnd: 10, ssthresh: 7 }, { cwnd: 1 }] });
  assert.deepEqual(one.sides, ['client']);
  assert.deepEqual(one.columns, [[0.1, 0.2], [10, 20], [7, null]]);
  assert.deepEqual(one.range, { x: [0.1, 0.2], y: [0, 20] });
});

test('kernel series keep every sample when both sides share a time (the client\'s 115 stays)', () => {
  const conn = pairedSamples();
  const ks = kernelSeries(conn);
  assert.deepEqual(ks.sides, ['client', 'server']);
  const [x, cwndC, ssC, cwndS] = ks.columns;
  // Every sample is a point of its side's column at its time.
  for (const s of conn.kernel) {
    const col = s.side === 'client' ? cwndC : cwndS;
    assert.ok(x.some((t, i) => t === s.t && col[i] === s.cwnd), `${s.side} cwnd ${s.cwnd} at ${s.t}`);
  }
  assert.equal(cwndC.filter((v) => v !== null).length, 11);
  assert.equal(cwndS.filter((v) => v !== null).length, 11);
  assert.ok(cwndC.includes(115));
  assert.equal(ssC.filter((v) => v === 57).length, 6);
  assert.deepEqual(ks.range.y, [0, 115]);
  assert.deepEqual(ks.changes.map((c) => [c.side, c.from, c.to]),
    [['client', 'open', 'recovery'], ['client', 'recovery', 'open'], ['client', 'open', 'loss'], ['client', 'loss', 'open']]);
  assert.ok(Math.abs(ks.changes[0].t - 0.25) < 1e-12);
});

test('two samples of one side at one time get two rows at that time; unknown ca_states are named so', () => {
  const ks = kernelSeries({ kernel: [
    { t: 0.1, side: 'client', cwnd: 10, ssthresh: null, ca_state: 'open' },
    { t: 0.1, side: 'server', cwnd: 3, ssthresh: 5, ca_state: '<b>x</b>' },
    { t: 0.1, side: 'client', cwnd: 115, ssthresh: null, ca_state: 'open' },
    { t: 0.3, side: 'client', cwnd: 14, ssthresh: 9 },
  ] });
  assert.deepEqual(ks.columns, [[0.1, 0.1, 0.3], [10, 115, 14], [null, null, 9], [3, null, null], [5, null, null]]);
  assert.deepEqual(ks.changes.map((c) => c.to), ['unknown']);
});

test('chart events: every segment of a small connection; a million thinned, keeping extremes and flagged ones', () => {
  const store = createEventStore();
  const n = 300_000;
  for (let i = 0; i < n; i++) {
    const c2s = i % 2 === 0;
    store.push({
      frame: i + 1, t: i / 1000, conn: 1, dir: c2s ? 'c2s' : 's2c', flags: ['ACK'], seq: c2s ? 1448 * i : 1,
      ack: c2s ? 1 : 1448 * i, len: c2s ? 1448 : 0, win: i === 150_001 ? 7 : 65535, in_flight: c2s ? 1000 + (i % 97) : null,
      analysis: i === 123_456 ? ['retransmission'] : [],
    });
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const small = chartEvents(store, all.subarray(0, 500));
  assert.equal(small.length, 500);
  assert.deepEqual(small[3], { t: 0.003, dir: 's2c', len: 0, seq: 1, ack: 4344, win: 65535, in_flight: null, flags: ['ACK'], analysis: [] });
  const thin = chartEvents(store, all);
  assert.ok(thin.length < 40000 && thin.length > 1500, `${thin.length} events`);
  assert.ok(thin.some((e) => e.analysis.includes('retransmission')), 'the retransmission is kept');
  assert.ok(thin.some((e) => e.win === 7), 'the one small window is kept');
  assert.equal(thin[0].t, 0);
  assert.equal(thin.at(-1).t, (n - 1) / 1000);
  const ts = timeSequenceSeries(thin);
  assert.equal(Math.max(...ts.columns[1].filter((v) => v !== null)), 1448 * (n - 2) + 1448, 'the highest sequence is kept');
});

test('chart events: a late retransmission survives more than `limit` earlier duplicate ACKs, and flags spread over the time axis', () => {
  // 30,000 data segments from the client, each answered by a duplicate ACK
  // (30,000 flagged segments, more than the 20,000 allowed), and near the end
  // one retransmission that is no bucket's extreme: it repeats the sequence
  // number of a segment four events earlier in its bucket, and its ACK,
  // window and bytes in flight equal its neighbours'.
  const store = createEventStore();
  const n = 60_000;
  const late = n - 100;
  for (let i = 0; i < n; i++) {
    const c2s = i % 2 === 0;
    const re = i === late;
    store.push({
      frame: i + 1, t: i / 1000, conn: 1, dir: c2s ? 'c2s' : 's2c', flags: ['ACK'],
      seq: c2s ? 1448 * ((re ? i - 4 : i) / 2) : 1, ack: c2s ? 1 : 1448, len: c2s ? 1448 : 0, win: 65535,
      in_flight: c2s ? 2896 : null, analysis: c2s ? (re ? ['retransmission'] : []) : ['duplicate_ack'],
    });
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const thin = chartEvents(store, all);
  const kept = thin.filter((e) => e.analysis.includes('retransmission'));
  assert.deepEqual(kept.map((e) => e.t), [late / 1000], 'the late retransmission is kept');
  const ts = timeSequenceSeries(thin);
  assert.equal(ts.columns[2].filter((v) => v !== null).length, 1, 'and drawn as a retransmission marker');
  const dups = thin.filter((e) => e.analysis.includes('duplicate_ack'));
  // At most the limit, plus the first or last of a bucket (1,500 buckets) kept anyway.
  assert.ok(dups.length <= 20000 + 2 * 1500, `${dups.length} duplicate ACKs kept`);
  assert.ok(dups.length >= 15000, `${dups.length} duplicate ACKs kept, close to the limit`);
  assert.ok(dups.some((e) => e.t > (n - 40) / 1000), 'duplicate ACKs are kept in the last part of the connection too');
});
