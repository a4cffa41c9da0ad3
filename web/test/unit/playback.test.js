import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPlayback, BASE_RATE } from '../../src/playback.js';

function fakeTimer() {
  const queue = [];
  return {
    queue,
    schedule(fn, ms) { queue.push({ fn, ms }); return queue.length; },
    cancel(id) { if (queue[id - 1]) queue[id - 1].fn = null; },
    fire() { const job = queue.find((j) => j.fn); const fn = job.fn; job.fn = null; fn(); return job.ms; },
  };
}

test('play steps one row per tick at the chosen speed and stops at the end', () => {
  const timer = fakeTimer();
  const seen = [];
  const p = createPlayback({ count: () => 3, onChange: (pos, playing) => seen.push([pos, playing]), ...timer });
  p.play();
  assert.equal(p.playing, true);
  assert.equal(p.position, 0);
  assert.equal(timer.fire(), 1000 / BASE_RATE);
  assert.equal(p.position, 1);
  p.setSpeed(4);
  assert.equal(timer.fire(), 1000 / (BASE_RATE * 4));
  assert.equal(p.position, 2);
  timer.fire();
  assert.equal(p.playing, false, 'stops after the last row');
  assert.deepEqual(seen.at(-1), [2, false]);
});

test('step moves the cursor within the rows; pause stops the timer', () => {
  const timer = fakeTimer();
  const p = createPlayback({ count: () => 5, ...timer });
  p.step(1);
  assert.equal(p.position, 0);
  p.step(-1);
  assert.equal(p.position, 0, 'not before the first row');
  p.seek(4);
  p.step(1);
  assert.equal(p.position, 4, 'not past the last row');
  p.step(-2);
  assert.equal(p.position, 2);
  p.play();
  p.pause();
  assert.equal(timer.queue.filter((j) => j.fn).length, 0);
  p.toggle();
  assert.equal(p.playing, true);
  p.toggle();
  assert.equal(p.playing, false);
});

test('play at the end starts again from the first row; nothing to play does nothing', () => {
  const timer = fakeTimer();
  const p = createPlayback({ count: () => 2, ...timer });
  p.seek(1);
  p.play();
  assert.equal(p.position, 0);
  const empty = createPlayback({ count: () => 0, ...fakeTimer() });
  empty.play();
  assert.equal(empty.playing, false);
  empty.step(1);
  assert.equal(empty.position, -1);
});

test('clamp keeps the cursor inside fewer rows; unknown speeds are ignored', () => {
  let n = 10;
  const p = createPlayback({ count: () => n, ...fakeTimer() });
  p.seek(8);
  n = 3;
  p.clamp();
  assert.equal(p.position, 2);
  p.setSpeed(3);
  assert.equal(p.speed, 1);
});
