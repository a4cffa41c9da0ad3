// The rows of a growing ladder diagram (layout.js): which event each row
// shows and where its top is on the time axis.
//
// Two ways of keeping them:
//   materialised  an array of event indices, and the axis's array of tops;
//                 rows are appended as events arrive (a filter picks them).
//   uniform       a windowed session (windowed.js) that shows every event has
//                 its rows before their events, one row height apart: row r
//                 shows event r at top + r × rowHeight, computed rather than
//                 kept (millions of rows kept were tens of megabytes and half
//                 a second before the first screen). It becomes materialised
//                 when rows must be arrays after all (a filter, a test).

import { createTimeAxis, firstRowAt, AXIS_DEFAULTS } from './timeaxis.js';

/**
 * Each connection's handshake round-trip time from the summaries (a streamed
 * timeline brings them last; the segments' ack_rtt fill in until then).
 */
function handshakeRtts(connections) {
  const rtt = new Map();
  for (const c of Array.isArray(connections) ? connections : []) {
    if (c && Number.isFinite(c.handshake?.rtt_ms)) rtt.set(c.id, c.handshake.rtt_ms / 1000);
  }
  return rtt;
}

/** `rows` (the first `count` in use) copied into an array of at least `need`, twice as long at least. */
function grown(rows, count, need) {
  const bigger = new Int32Array(Math.max(rows.length * 2, need));
  bigger.set(rows.subarray(0, count));
  return bigger;
}

/** Where `index` is among the first `count` of `rows` (ascending), or -1. */
function positionOf(rows, count, index) {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] === index) return mid;
    if (rows[mid] < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The rows of `events` (an event store or asEvents) on an axis of `axisOptions`
 * ({ mode, rowHeight, pxPerSecond }). `onRow(r, index)` hears of each row
 * appended with its time (a windowed session's rows have none yet).
 */
export function createRows(events, connections, axisOptions, onRow) {
  const axis = createTimeAxis(axisOptions);
  const { rowHeight } = axisOptions;
  let rows = new Int32Array(1024);
  let count = 0;
  // Each connection's round-trip time as far as known: its handshake's or
  // the longest ack_rtt of its segments so far. No gap under a few RTTs is folded.
  const rtt = handshakeRtts(connections);
  const foldRtts = AXIS_DEFAULTS.foldRtts;
  let uniform = events.windowed === true;
  const top0 = axis.options.top;

  function append(indices) {
    if (events.windowed) { appendUntimed(indices); return; }
    for (let k = 0; k < indices.length; k++) {
      if (count === rows.length) rows = grown(rows, count, count + 1);
      const i = indices[k];
      rows[count++] = i;
      const conn = events.conn(i);
      const ackRtt = events.ackRtt(i);
      if (Number.isFinite(ackRtt) && !(ackRtt <= (rtt.get(conn) ?? 0))) rtt.set(conn, ackRtt);
      axis.push(events.t(i), foldRtts * (rtt.get(conn) ?? 0));
      onRow(count - 1, i);
    }
  }

  // A windowed session's rows come before their events: one row height
  // apart, laid out without a look-up per row (millions).
  function appendUntimed(indices) {
    if (uniform) materialize();
    if (count + indices.length > rows.length) rows = grown(rows, count, count + indices.length);
    rows.set(indices, count);
    count += indices.length;
    axis.pushUntimed(indices.length);
  }

  /** Rows for events count..n-1, each event shown (a windowed session with no filter). */
  function appendAll(n) {
    if (uniform) { count = Math.max(count, n); return; }
    const indices = new Int32Array(Math.max(0, n - count));
    for (let k = 0; k < indices.length; k++) indices[k] = count + k;
    append(indices);
  }

  /** A uniform layout's rows and tops made into arrays (a filter came after all). */
  function materialize() {
    uniform = false;
    rows = new Int32Array(Math.max(1024, count));
    for (let r = 0; r < count; r++) rows[r] = r;
    axis.pushUntimed(count);
  }

  return {
    get count() { return count; },
    get rows() { if (uniform) materialize(); return rows.subarray(0, count); },
    get y() { if (uniform) materialize(); return axis.y; },
    get height() { return uniform ? top0 + (count + 1) * rowHeight : axis.height; },
    get folds() { return axis.folds; },
    append,
    appendAll,
    top: (i) => (uniform ? top0 + i * rowHeight : axis.y[i]),
    eventAt: (r) => (uniform ? r : rows[r]),
    firstRowBelow(y, below) {
      if (!uniform) return firstRowAt(axis.y, below, y);
      return Math.min(count, Math.max(0, Math.floor((y - below - top0) / rowHeight) + 1));
    },
    rowOfEvent(index) {
      if (uniform) return Number.isInteger(index) && index >= 0 && index < count ? index : -1;
      return positionOf(rows, count, index);
    },
  };
}
