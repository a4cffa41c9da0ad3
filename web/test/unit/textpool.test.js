// The text pool (textpool.js): every string comes back as JSON.parse reads its
// literal, whatever bytes the literal held, and a binary payload preview
// (\\xNN for each byte) is kept in two bytes a payload byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTextPool } from '../../src/textpool.js';

const encoder = new TextEncoder();

/** Adds a literal's inside as the line reader does (plain: no escape, ASCII). */
function addLiteral(pool, inside) {
  const bytes = encoder.encode(`xx${inside}yy`);   // not at the start of its buffer
  const plain = !/[\\\u0080-\uffff]/.test(inside);
  return pool.addBytes(bytes, 2, bytes.length - 2, plain);
}

test('literals come back as JSON.parse reads them', () => {
  const pool = createTextPool();
  const literals = [
    '', 'hello 1\\n', '\\\\xd5\\\\\\\\\\\\x08u`', '\\\\x00'.repeat(64), '\\\\xAB upper case is kept as it came',
    '\\\\x4', '\\\\xg1', 'ends in \\\\x0', '\\\\\\\\x41', '\\u00e9t\\u00e9 \\"q\\"', '中文 \\\\xff', '\\\\x7f\\\\x80',
    'a\\\\xd5b'.repeat(500),
  ];
  const ids = literals.map((l) => addLiteral(pool, l));
  ids.forEach((id, k) => assert.equal(pool.get(id), JSON.parse(`"${literals[k]}"`), literals[k]));
  const s = 'any \u2028 string \\x00 "quoted" \n';
  assert.equal(pool.get(pool.addString(s)), s);
});

test('random literals of escapes, hex and bytes come back unchanged', () => {
  const pool = createTextPool();
  const pieces = ['\\\\x', '\\\\', 'x', '0', 'a', 'f', 'F', 'g', '\\n', '\\u0041', 'é', ' '];
  let seed = 7;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  for (let n = 0; n < 3000; n++) {
    let l = '';
    for (let k = next() % 20; k > 0; k--) l += pieces[next() % pieces.length];
    let value;
    try { value = JSON.parse(`"${l}"`); } catch { continue; }
    assert.equal(pool.get(addLiteral(pool, l)), value, l);
  }
});

test('a byte that is not UTF-8 in a literal: kept as it came, read as the decoder reads it', () => {
  const pool = createTextPool();
  const bytes = Uint8Array.of(0x41, 0xfe, 0x5c, 0x5c, 0x78, 0x30, 0x30, 0xff);
  const id = pool.addBytes(bytes, 0, bytes.length, false);
  assert.equal(pool.get(id), JSON.parse(`"${new TextDecoder().decode(bytes)}"`));
});

test('a binary preview of 64 bytes takes two bytes a payload byte, not five', () => {
  const pool = createTextPool();
  const before = pool.bytes();
  const literal = '\\\\x00'.repeat(64);
  for (let n = 0; n < 100000; n++) addLiteral(pool, literal);
  const perString = (pool.bytes() - before) / 100000;   // (the pool grows by chunks of 1 MB)
  assert.ok(perString < 2 * 64 + 32, `${perString} bytes a preview`);
  assert.equal(pool.get(5000), '\\x00'.repeat(64));
});
