// Playback for a class: a cursor over the shown rows that steps on a timer.
// The timer is injected (schedule/cancel) so the logic runs in Node tests
// without waiting.

export const SPEEDS = Object.freeze([0.25, 0.5, 1, 2, 4, 8, 16]);
/** Rows per second at speed 1. */
export const BASE_RATE = 2;

export function createPlayback({
  count = () => 0,
  onChange = () => {},
  schedule = (fn, ms) => setTimeout(fn, ms),
  cancel = (id) => clearTimeout(id),
} = {}) {
  let position = -1;
  let playing = false;
  let speed = 1;
  let timer = null;

  function set(p) {
    const n = count();
    const next = n === 0 ? -1 : Math.min(Math.max(p, 0), n - 1);
    if (next !== position) {
      position = next;
      onChange(position, playing);
    }
  }

  function tick() {
    timer = null;
    if (!playing) return;
    if (position >= count() - 1) {
      pause();
      return;
    }
    set(position + 1);
    timer = schedule(tick, 1000 / (BASE_RATE * speed));
  }

  function play() {
    if (playing || count() === 0) return;
    if (position < 0 || position >= count() - 1) set(0);
    playing = true;
    onChange(position, playing);
    timer = schedule(tick, 1000 / (BASE_RATE * speed));
  }

  function pause() {
    if (timer !== null) cancel(timer);
    timer = null;
    if (playing) {
      playing = false;
      onChange(position, playing);
    }
  }

  return {
    get position() { return position; },
    get playing() { return playing; },
    get speed() { return speed; },
    play,
    pause,
    toggle() { if (playing) pause(); else play(); },
    step(delta) { set(position < 0 ? (delta > 0 ? 0 : count() - 1) : position + delta); },
    seek(p) { set(p); },
    setSpeed(s) {
      if (!SPEEDS.includes(s)) return;
      speed = s;
      if (playing) {
        cancel(timer);
        timer = schedule(tick, 1000 / (BASE_RATE * speed));
      }
    },
    /** After the shown rows changed: keep the cursor inside them. */
    clamp() { if (position >= count()) set(count() - 1); },
  };
}
