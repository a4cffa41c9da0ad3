import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionSummary } from '../../src/summary.js';
import { formatEndpoint, formatDuration, formatCount, formatBytes, clip, isLoopback } from '../../src/format.js';
import { segmentLabel, segmentKind, payloadLabel } from '../../src/labels.js';
import { sortedTags, tagGroup } from '../../src/tags.js';
import { timeline } from '../helpers/timelines.mjs';

test('a connection summary has endpoints, RTT, bytes each way, teardown and tag counts', () => {
  const c = timeline('loss_retrans').connections[0];
  const s = connectionSummary(c);
  assert.equal(s.client, formatEndpoint(c.client));
  assert.equal(s.rttMs, c.handshake.rtt_ms);
  assert.equal(s.bytesC2S, c.counts.c2s.bytes);
  assert.equal(s.segments, c.counts.c2s.segments + c.counts.s2c.segments);
  assert.equal(s.teardown, c.teardown.kind);
  assert.equal(s.tags[0].name, 'retransmission', 'most important first');
  assert.deepEqual(Object.fromEntries(s.tags.map((t) => [t.name, t.count])), c.analysis_counts);
  assert.equal(connectionSummary(timeline('refused').connections[0]).teardown, 'refused');
  assert.equal(connectionSummary(null).segments, 0);
});

test('formatters', () => {
  assert.equal(formatEndpoint({ ip: '::1', port: 80 }), '[::1]:80');
  assert.equal(formatEndpoint({ ip: '10.0.0.1', port: 22 }), '10.0.0.1:22');
  assert.equal(formatEndpoint(null), '?');
  assert.equal(formatDuration(0.0000025), '3 µs');
  assert.equal(formatDuration(0.0024), '2.4 ms');
  assert.equal(formatDuration(3.02), '3.02 s');
  assert.equal(formatDuration(250), '4 min 10 s');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
  assert.equal(clip('abcdef', 4), 'abc…');
  assert.equal(clip(undefined, 4), '');
  assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('10.0.0.1'));
});

test('segment labels, kinds and payload previews', () => {
  const e = { flags: ['FIN', 'ACK'], seq: 25, ack: 43, len: 0, win: 65536, seq_raw: 9, ack_raw: 8, win_raw: 64 };
  assert.equal(segmentLabel(e), 'FIN,ACK seq=25 ack=43 win=65536');
  assert.equal(segmentLabel(e, { raw: true }), 'FIN,ACK seq=9 ack=8 win=64');
  assert.equal(segmentLabel({ flags: ['SYN'], seq: 0, ack: 0, win: 10 }), 'SYN seq=0 win=10', 'no ack without ACK');
  assert.equal(segmentLabel({ flags: [] }), '(none)');
  assert.equal(segmentKind(e), 'fin');
  assert.equal(segmentKind({ flags: ['RST', 'ACK'] }), 'rst');
  assert.equal(segmentKind({ flags: ['ACK'], len: 3 }), 'data');
  assert.equal(segmentKind({ flags: ['ACK'], len: 0 }), 'ack');
  assert.equal(payloadLabel({ payload: 'x'.repeat(100) }, 10), `“${'x'.repeat(9)}…”`);
});

test('tags sort by importance and fall into colour groups', () => {
  assert.deepEqual(sortedTags(['duplicate_ack', 'new_thing', 'retransmission']), ['retransmission', 'duplicate_ack', 'new_thing']);
  assert.equal(tagGroup('zero_window'), 'flow');
  assert.equal(tagGroup('constructor'), 'info');
  assert.deepEqual(sortedTags(null), []);
});

test('a connection whose SYN and SYN-ACK were not captured says so, one that began and failed does not', () => {
  assert.equal(connectionSummary({ handshake: { seen: false, complete: false, syn_ack_count: 0 } }).handshakeCaptured, false);
  assert.equal(connectionSummary({ handshake: { seen: false, complete: false, syn_ack_count: 1 } }).handshakeCaptured, true);
  assert.equal(connectionSummary(timeline('refused').connections[0]).handshakeCaptured, true);
});
