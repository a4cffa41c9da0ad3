// The vertical axis of the ladder: where each row (segment) starts.
//
//   even  one row per segment, whatever the time between them: the default for
//         loopback captures, where a whole conversation takes microseconds.
//   real  distance follows time: a gap of g seconds takes g × pxPerSecond
//         pixels, never less than one row (labels must not overlap).
//
// In both modes a long idle gap is folded: it takes one fixed band
// (foldHeight) marked with how long the pause was, instead of a screen of
// nothing (real mode) or nothing at all (even mode, where it would be hidden).
// "Long" is idleSeconds in even mode and more than maxGapPx pixels in real mode,
// and in both never less than a few round trips of the connection (push's
// minFold, from layout.js): a gap of one RTT is the very thing a lesson shows
// (the handshake waiting for its SYN-ACK), not idle time.
//
// The axis is built incrementally (push one time after another) so that rows
// can be added while a big timeline is still arriving.

export const AXIS_DEFAULTS = Object.freeze({
  mode: 'even',
  rowHeight: 52,
  foldHeight: 30,
  idleSeconds: 0.5,
  pxPerSecond: 1000,
  maxGapPx: 6 * 52,
  top: 12,
  foldRtts: 4,
});

/**
 * A pixels-per-second scale for real mode that gives the median gap between
 * consecutive segments one row: dense traffic stays readable, pauses show.
 */
export function autoScale(times, rowHeight = AXIS_DEFAULTS.rowHeight) {
  const gaps = [];
  const n = times ? times.length : 0;
  for (let i = 1; i < n; i++) {
    const g = times[i] - times[i - 1];
    if (Number.isFinite(g) && g > 0) gaps.push(g);
  }
  if (gaps.length === 0) return AXIS_DEFAULTS.pxPerSecond;
  gaps.sort((a, b) => a - b);
  const median = gaps[gaps.length >> 1];
  return rowHeight / median;
}

/** An axis that rows are pushed onto one at a time. */
export function createTimeAxis(options = {}) {
  const o = { ...AXIS_DEFAULTS, ...options };
  let y = new Float64Array(1024);
  let count = 0;
  let next = o.top;        // where the next row would start
  let lastT = null;
  const folds = [];

  function grow() {
    const bigger = new Float64Array(y.length * 2);
    bigger.set(y);
    y = bigger;
  }

  return {
    options: o,
    folds,
    get count() { return count; },
    /** Row tops; valid up to `count`. */
    get y() { return y.subarray(0, count); },
    /** Total height including a bottom margin of one row. */
    get height() { return next + o.rowHeight; },
    /** Adds n rows whose times are not known (a windowed session's): one row height apart. */
    pushUntimed(n) {
      while (count + n > y.length) grow();
      for (let k = 0; k < n; k++) {
        y[count++] = next;
        next += o.rowHeight;
      }
    },
    /** Adds a row at time t; a gap shorter than minFold seconds is never folded. */
    push(t, minFold = 0) {
      if (count === y.length) grow();
      if (count > 0) {
        const gap = Number.isFinite(t) && Number.isFinite(lastT) ? Math.max(0, t - lastT) : 0;
        let spacing = o.rowHeight;
        let folded = false;
        const foldable = !(gap < minFold);
        if (o.mode === 'real') {
          const px = gap * o.pxPerSecond;
          if (px > o.maxGapPx && foldable) folded = true;
          else spacing = Math.max(o.rowHeight, px);
        } else if (gap >= o.idleSeconds && foldable) {
          folded = true;
        }
        if (folded) {
          folds.push({ row: count, y: next, height: o.foldHeight, gap });
          next += o.foldHeight;
          y[count] = next;
          next += o.rowHeight;
        } else {
          y[count] = next - o.rowHeight + spacing;
          next = y[count] + o.rowHeight;
        }
      } else {
        y[0] = next;
        next += o.rowHeight;
      }
      if (Number.isFinite(t)) lastT = t;
      return y[count++];
    },
  };
}

/** The whole axis for a list of times: { y, height, folds }. */
export function timeAxis(times, options = {}) {
  const axis = createTimeAxis(options);
  for (let i = 0; i < times.length; i++) axis.push(times[i]);
  return { y: axis.y, height: axis.height, folds: axis.folds, options: axis.options };
}

/** The first row whose bottom is below `top` (binary search over row tops). */
export function firstRowAt(y, rowHeight, top) {
  let lo = 0;
  let hi = y.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (y[mid] + rowHeight <= top) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
