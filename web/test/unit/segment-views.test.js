// The pure parts of the layers and follow-stream views, on timelines the
// analyzer makes from the test captures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { segmentLayers } from '../../src/layers-view.js';
import { streamPieces, previewLines, connectionEvents } from '../../src/stream-view.js';
import { LAYER_NAMES } from '../../src/layer-names.js';
import { timeline, tcpvizPath, CAPTURES } from '../helpers/timelines.mjs';

const crafted = (name) => JSON.parse(execFileSync(tcpvizPath(), ['analyze', path.join(CAPTURES, 'crafted', `${name}.pcap`)], { encoding: 'utf8' }));
const data = (pieces) => pieces.filter((p) => p.kind === 'data');

test('segmentLayers nests link, IP, TCP, options and payload, with the values the timeline keeps', () => {
  const tl = timeline('handshake_data_fin');
  const e = tl.events.find((x) => x.frame === 4);
  const layers = segmentLayers(e, tl.connections[0], tl.source.link_type);
  assert.deepEqual(layers.map((l) => [l.kind, l.depth]),
    [['ethernet', 0], ['ipv4', 1], ['tcp', 2], ['tcp_option', 3], ['tcp_option', 3], ['tcp_option', 3], ['payload', 3]]);
  const value = (id) => layers.flatMap((l) => l.fields).find((f) => f.id === id)?.value;
  assert.equal(value('tcp.srcport'), 50000);
  assert.equal(value('tcp.seq_raw'), e.seq_raw);
  assert.equal(value('ip.src'), '127.0.0.1');
  assert.equal(value('tcp.options.timestamp.tsval'), e.options.ts[0]);
  assert.equal(value('eth.src'), null, 'the timeline keeps no MAC address: shown as missing, not invented');
  assert.equal(value('tcp.payload'), 'hello 1\\n');
});

test('segmentLayers: IPv6 from the address, no link layer for raw IP, every name in both languages', () => {
  const tl = timeline('ipv6');
  const layers = segmentLayers(tl.events[0], tl.connections[0], 'RAW');
  assert.equal(layers[0].kind, 'ipv6');
  for (const lang of ['en', 'zh']) {
    for (const l of layers) {
      assert.ok(LAYER_NAMES[lang].layers[l.kind], `${lang} ${l.kind}`);
      for (const f of l.fields) assert.ok(LAYER_NAMES[lang].fields[f.id], `${lang} ${f.id}`);
    }
  }
});

test('streamPieces reads in sequence order: an early segment waits for the one that fills the gap', () => {
  const tl = crafted('out_of_order');
  const c2s = tl.events.filter((e) => e.dir === 'c2s');
  const pieces = data(streamPieces(c2s));
  assert.deepEqual(pieces.map((p) => p.frame), [4, 7, 5]);
  assert.deepEqual(pieces.map((p) => p.seq), [1, 101, 201]);
  assert.equal(pieces[2].early, true);
  assert.equal(pieces[2].releasedBy, 7);
  assert.equal(pieces[1].outOfOrder, true);
});

test('streamPieces reads a retransmission once and marks it', () => {
  const events = [
    { frame: 1, seq: 0, len: 0, flags: ['SYN'] },
    { frame: 2, seq: 1, len: 3, payload: 'abc', flags: ['ACK'] },
    { frame: 3, seq: 1, len: 3, payload: 'abc', flags: ['ACK'], analysis: ['retransmission'] },
    { frame: 4, seq: 4, len: 2, payload: 'de', flags: ['FIN', 'ACK'] },
  ];
  const pieces = streamPieces(events);
  assert.deepEqual(pieces.map((p) => p.kind), ['data', 'repeat', 'data', 'fin']);
  assert.equal(data(pieces).map((p) => p.preview).join(''), 'abcde');
});

test('streamPieces shows a gap that is never filled and goes on', () => {
  const pieces = streamPieces([{ frame: 1, seq: 1, len: 2, payload: 'aa' }, { frame: 2, seq: 5, len: 2, payload: 'cc' }]);
  assert.deepEqual(pieces.map((p) => p.kind), ['data', 'gap', 'data']);
  assert.equal(pieces[1].len, 2);
});

test('previewLines breaks after each \\n escape and keeps escapes visible', () => {
  assert.deepEqual(previewLines('hi\\nthere\\n'), ['hi\\n', 'there\\n']);
  assert.deepEqual(previewLines('a\\\\nb'), ['a\\\\nb'], 'an escaped backslash before n is not a line break');
  assert.deepEqual(previewLines('\\x1b[2J'), ['\\x1b[2J']);
});

test('connectionEvents takes one connection, at most max of them', () => {
  const events = [{ conn: 0 }, { conn: 1 }, { conn: 0 }, { conn: 0 }];
  assert.deepEqual(connectionEvents(events, 0), { events: [events[0], events[2], events[3]], more: false });
  assert.deepEqual(connectionEvents(events, 0, 2), { events: [events[0], events[2]], more: true });
});
