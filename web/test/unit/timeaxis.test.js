import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timeAxis, autoScale, firstRowAt, createTimeAxis } from '../../src/timeaxis.js';

const opts = { rowHeight: 50, foldHeight: 30, top: 0, idleSeconds: 1 };

test('even mode gives one row per segment whatever the times', () => {
  const a = timeAxis([0, 0.000001, 0.000002, 0.5], { ...opts, mode: 'even' });
  assert.deepEqual([...a.y], [0, 50, 100, 150]);
  assert.equal(a.folds.length, 0);
  assert.equal(a.height, 250);
});

test('even mode marks an idle gap of idleSeconds or more with a fold band', () => {
  const a = timeAxis([0, 0.1, 3.1, 3.2], { ...opts, mode: 'even' });
  assert.deepEqual([...a.y], [0, 50, 130, 180]);
  assert.equal(a.folds.length, 1);
  assert.equal(a.folds[0].row, 2);
  assert.equal(a.folds[0].y, 100);
  assert.ok(Math.abs(a.folds[0].gap - 3) < 1e-9);
});

test('real mode spaces rows by time, never closer than one row', () => {
  const a = timeAxis([0, 0.01, 0.2, 0.3], { ...opts, mode: 'real', pxPerSecond: 1000, maxGapPx: 500 });
  // gaps 10 px (→ one row, 50), 190 px, 100 px
  assert.deepEqual([...a.y], [0, 50, 240, 340]);
  assert.equal(a.folds.length, 0);
});

test('real mode folds a gap longer than maxGapPx into one marked band', () => {
  const a = timeAxis([0, 0.1, 10.1], { ...opts, mode: 'real', pxPerSecond: 1000, maxGapPx: 500 });
  assert.deepEqual([...a.y], [0, 100, 180]);
  assert.equal(a.folds.length, 1);
  assert.equal(a.folds[0].row, 2);
  assert.ok(Math.abs(a.folds[0].gap - 10) < 1e-9);
});

test('times that go backwards or are missing count as no gap', () => {
  const a = timeAxis([1, 0.5, NaN, 2.6], { ...opts, mode: 'even' });
  assert.deepEqual([...a.y], [0, 50, 100, 180]);
  assert.equal(a.folds.length, 1);
});

test('autoScale gives the median gap one row', () => {
  assert.equal(autoScale([0, 1, 2, 4, 5], 50), 50);
  assert.equal(autoScale([0, 0, 0], 50), 1000, 'no gap: the default scale');
});

test('the axis grows past its first buffer', () => {
  const axis = createTimeAxis({ ...opts, mode: 'even' });
  for (let i = 0; i < 5000; i++) axis.push(i * 0.001);
  assert.equal(axis.count, 5000);
  assert.equal(axis.y[4999], 4999 * 50);
});

test('firstRowAt finds the first row reaching below a y', () => {
  const y = Float64Array.from([0, 50, 100, 150]);
  assert.equal(firstRowAt(y, 50, 0), 0);
  assert.equal(firstRowAt(y, 50, 49), 0);
  assert.equal(firstRowAt(y, 50, 50), 1);
  assert.equal(firstRowAt(y, 50, 1000), 4);
  assert.equal(firstRowAt(y, 0, 100), 3, 'with height 0: the first row starting after y');
});

test('no gap shorter than minFold is folded, in either mode; longer ones still are', () => {
  // A handshake over a 30 ms path: SYN, SYN-ACK 30 ms later, then 2 s of silence.
  const times = [0, 0.03, 0.0301, 2.0301];
  const real = createTimeAxis({ ...opts, mode: 'real', pxPerSecond: 50000, maxGapPx: 300 });
  for (const t of times) real.push(t, 4 * 0.03);
  assert.deepEqual(real.folds.map((f) => f.row), [3], 'only the 2 s pause is folded');
  assert.equal(real.y[1] - real.y[0], 0.03 * 50000, 'the RTT takes its real height');
  const even = createTimeAxis({ ...opts, mode: 'even', idleSeconds: 0.5 });
  for (const t of [0, 0.6, 5]) even.push(t, 4 * 0.3);
  assert.deepEqual(even.folds.map((f) => f.row), [2], 'a 0.6 s gap on a 300 ms path is 2 RTTs: kept');
});
