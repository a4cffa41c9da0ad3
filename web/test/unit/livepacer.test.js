// createPacer (src/live.js): the live page draws each segment at once while it
// keeps up with the capture, and merges drawings when it falls behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPacer } from '../../src/live.js';

function clock() {
  let now = 0;
  const timers = [];
  return {
    now: () => now,
    setTimer: (fn, ms) => { timers.push({ at: now + ms, fn }); return timers.length; },
    /** Advances the time, running timers that fall due. */
    advance(ms) {
      now += ms;
      for (let t; (t = timers.find((x) => x.at <= now));) { timers.splice(timers.indexOf(t), 1); t.fn(); }
    },
    get pending() { return timers.length; },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test('keeping up: every request draws at once, however close together', async () => {
  const c = clock();
  let draws = 0;
  const request = createPacer(() => { draws++; c.advance(5); }, { now: c.now, setTimer: c.setTimer });
  for (let i = 0; i < 10; i++) { request(20); await tick(); }
  assert.equal(draws, 10);
  assert.equal(c.pending, 0);
});

test('behind the capture: requests are merged into one drawing per gap', async () => {
  const c = clock();
  let draws = 0;
  const request = createPacer(() => { draws++; c.advance(40); }, { now: c.now, setTimer: c.setTimer, lagLimit: 150, share: 0.5 });
  request(10);          // the least lag seen: 10 ms
  await tick();
  assert.equal(draws, 1);
  // 500 segments, each 300 ms behind: one drawing waits 2 × 40 ms after the last began.
  for (let i = 0; i < 500; i++) request(310);
  assert.equal(draws, 1, 'merged, not drawn one by one');
  assert.equal(c.pending, 1);
  c.advance(39);
  assert.equal(draws, 1);
  c.advance(1);
  assert.equal(draws, 2);
});

test('a constant clock offset is not taken for lag', async () => {
  const c = clock();
  let draws = 0;
  const request = createPacer(() => { draws++; }, { now: c.now, setTimer: c.setTimer });
  for (let i = 0; i < 5; i++) { request(60_000 + i); await tick(); }
  assert.equal(draws, 5);
});
