import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tcpHeaderBytes } from '../../src/headerbytes.js';
import { timeline } from '../helpers/timelines.mjs';

const be = (bytes) => bytes.reduce((v, b) => v * 256 + b, 0);

test('the SYN\'s header is rebuilt field by field from the timeline', () => {
  const tl = timeline('handshake_data_fin');
  const syn = tl.events[0];
  const conn = tl.connections[0];
  const { bytes, fields, headerLength } = tcpHeaderBytes(syn, conn);
  const optLen = syn.options.list.reduce((n, o) => n + o.len, 0);
  assert.equal(headerLength, 20 + optLen + ((4 - (optLen % 4)) % 4));
  assert.equal(bytes.length, headerLength);
  assert.equal(be(bytes.slice(0, 2)), conn.client.port);
  assert.equal(be(bytes.slice(2, 4)), conn.server.port);
  assert.equal(be(bytes.slice(4, 8)), syn.seq_raw);
  assert.equal(be(bytes.slice(8, 12)), syn.ack_raw);
  assert.equal(bytes[12] >> 4, headerLength / 4, 'data offset in 32-bit words');
  assert.equal(bytes[13], 0x02, 'SYN bit');
  assert.equal(be(bytes.slice(14, 16)), syn.win_raw);
  assert.deepEqual(bytes.slice(16, 18), [null, null], 'the checksum is not recorded');
  assert.deepEqual(bytes.slice(18, 20), [0, 0]);
  const mss = fields.find((f) => f.name === 'MSS');
  assert.deepEqual(bytes.slice(mss.start, mss.end), [2, 4, syn.options.mss >> 8, syn.options.mss & 0xff]);
  const ts = fields.find((f) => f.name === 'TS');
  assert.equal(be(bytes.slice(ts.start + 2, ts.start + 6)), syn.options.ts[0]);
});

test('flags map to their bits, server segments swap the ports', () => {
  const tl = timeline('handshake_data_fin');
  const synAck = tcpHeaderBytes(tl.events[1], tl.connections[0]).bytes;
  assert.equal(synAck[13], 0x12);
  assert.equal(be(synAck.slice(0, 2)), tl.connections[0].server.port);
  const fin = tl.events.find((e) => e.flags.includes('FIN'));
  assert.equal(tcpHeaderBytes(fin, tl.connections[0]).bytes[13], 0x11);
});

test('SACK edges go back to raw sequence numbers through the peer\'s ISN', () => {
  const tl = timeline('loss_retrans');
  const e = tl.events.find((x) => x.options.sack);
  const conn = tl.connections[e.conn];
  const { bytes, fields } = tcpHeaderBytes(e, conn);
  const sack = fields.find((f) => f.name === 'SACK');
  const peerIsn = e.dir === 's2c' ? conn.isn.client : conn.isn.server;
  assert.equal(be(bytes.slice(sack.start + 2, sack.start + 6)), (e.options.sack[0][0] + peerIsn) >>> 0);
});

test('without the connection the ports are unknown (null), not invented', () => {
  const tl = timeline('handshake_data_fin');
  const { bytes } = tcpHeaderBytes(tl.events[3], null);
  assert.deepEqual(bytes.slice(0, 4), [null, null, null, null]);
  assert.equal(be(bytes.slice(4, 8)), tl.events[3].seq_raw);
});
