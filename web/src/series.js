// The data behind the charts of one connection, as column arrays that uPlot
// draws directly (one shared x column, null where a series has no point).

const RETRANS = new Set(['retransmission', 'fast_retransmission', 'spurious_retransmission']);

/**
 * The events of one connection (`indices` into `ev`, an event store or
 * asEvents) as the small objects the series read: every one up to `limit`.
 * Past it (a bulk transfer of a million segments, whose objects alone would
 * take hundreds of megabytes) they are thinned to what `buckets` columns of
 * pixels can show: in each bucket of consecutive segments the first and the
 * last, and for each direction those with the smallest and the largest
 * seq + len, ack, window and bytes in flight; every retransmission (never
 * thinned away: the time-sequence chart marks each one); and the segments
 * with other analysis tags (duplicate ACKs, window updates...): all of them
 * when there are at most `limit`, otherwise an equal share of `limit` in each
 * bucket, so a lossy transfer's early duplicate ACKs cannot use up the quota
 * and leave the rest of the time axis without flags.
 */
export function chartEvents(ev, indices, { limit = 20000, buckets = 1500 } = {}) {
  const slim = (i) => ({
    t: ev.t(i), dir: ev.dir(i), len: ev.len(i), seq: ev.seq(i), ack: ev.ack(i), win: ev.win(i),
    in_flight: ev.inFlight(i), flags: ev.flags(i), analysis: ev.analysis(i),
  });
  const n = indices.length;
  if (n <= limit) return Array.from(indices, slim);
  const keep = new Uint8Array(n);
  const size = Math.ceil(n / buckets);
  const otherFlagsPerBucket = otherFlagged(ev, indices) <= limit ? size
    : Math.max(1, Math.floor(limit / Math.ceil(n / size)));
  // For each direction and each of seq + len, ack, window and bytes in
  // flight: the bucket's smallest and largest value and where they are.
  const MEASURES = 4;
  const best = new Int32Array(2 * MEASURES * 2);
  const value = new Float64Array(best.length);
  const values = new Float64Array(MEASURES);
  for (let b0 = 0; b0 < n; b0 += size) {
    const b1 = Math.min(n, b0 + size);
    keep[b0] = 1;
    keep[b1 - 1] = 1;
    best.fill(-1);
    let otherFlags = 0;
    for (let k = b0; k < b1; k++) {
      const i = indices[k];
      const a = ev.analysis(i);
      if (isRetransmission(a)) keep[k] = 1;
      else if (a && a.length > 0 && otherFlags < otherFlagsPerBucket) { keep[k] = 1; otherFlags++; }
      const first = ev.dir(i) === 's2c' ? MEASURES * 2 : 0;
      const seq = ev.seq(i);
      const len = ev.len(i);
      values[0] = seq == null || len == null ? NaN : seq + len;   // (null would be 0 in the array)
      values[1] = ev.ack(i) ?? NaN;
      values[2] = ev.win(i) ?? NaN;
      values[3] = ev.inFlight(i) ?? NaN;
      for (let m = 0; m < MEASURES; m++) {
        const v = values[m];
        if (!Number.isFinite(v)) continue;
        const lo = first + 2 * m;
        if (best[lo] < 0 || v < value[lo]) { best[lo] = k; value[lo] = v; }
        if (best[lo + 1] < 0 || v > value[lo + 1]) { best[lo + 1] = k; value[lo + 1] = v; }
      }
    }
    for (let j = 0; j < best.length; j++) if (best[j] >= 0) keep[best[j]] = 1;
  }
  const out = [];
  for (let k = 0; k < n; k++) if (keep[k]) out.push(slim(indices[k]));
  return out;
}

/** Whether an analysis tag list marks a retransmission (of any kind). */
function isRetransmission(analysis) {
  return Array.isArray(analysis) && analysis.some((a) => RETRANS.has(a));
}

/** How many of the events have analysis tags but are no retransmission. */
function otherFlagged(ev, indices) {
  let count = 0;
  for (const i of indices) {
    const a = ev.analysis(i);
    if (a && a.length > 0 && !isRetransmission(a)) count++;
  }
  return count;
}

/** The direction that carried more bytes: the one a time-sequence graph follows. */
export function dataDirection(events) {
  let c2s = 0;
  let s2c = 0;
  for (const e of events) {
    if (!(e.len > 0)) continue;
    if (e.dir === 's2c') s2c += e.len; else c2s += e.len;
  }
  return s2c > c2s ? 's2c' : 'c2s';
}

/**
 * Stevens' time-sequence graph for the data direction `dir`: each data
 * segment as the sequence number of its last byte (seq + len), those that are
 * retransmissions apart, and from the other direction the ACK number and the
 * window's right edge (ack + win) over time.
 */
export function timeSequenceSeries(events, dir = dataDirection(events)) {
  const x = [];
  const data = [];
  const retrans = [];
  const ack = [];
  const edge = [];
  for (const e of events) {
    if (!Number.isFinite(e.t)) continue;
    const fwd = (e.dir === 's2c' ? 's2c' : 'c2s') === dir;
    if (fwd && e.len > 0 && Number.isFinite(e.seq)) {
      const isRetrans = isRetransmission(e.analysis);
      x.push(e.t);
      data.push(isRetrans ? null : e.seq + e.len);
      retrans.push(isRetrans ? e.seq + e.len : null);
      ack.push(null);
      edge.push(null);
    } else if (!fwd && Array.isArray(e.flags) && e.flags.includes('ACK') && Number.isFinite(e.ack)) {
      x.push(e.t);
      data.push(null);
      retrans.push(null);
      ack.push(e.ack);
      edge.push(Number.isFinite(e.win) ? e.ack + e.win : null);
    }
  }
  return { dir, columns: [x, data, retrans, ack, edge] };
}

/**
 * Each side's advertised window and the bytes in flight from each side, at
 * every segment of the connection (a step where a value changes).
 */
export function windowSeries(events) {
  const x = [];
  const winClient = [];
  const winServer = [];
  const flightC2S = [];
  const flightS2C = [];
  for (const e of events) {
    if (!Number.isFinite(e.t)) continue;
    const c2s = e.dir !== 's2c';
    const syn = Array.isArray(e.flags) && e.flags.includes('SYN');
    x.push(e.t);
    winClient.push(c2s && Number.isFinite(e.win) && !syn ? e.win : null);
    winServer.push(!c2s && Number.isFinite(e.win) && !syn ? e.win : null);
    flightC2S.push(c2s && Number.isFinite(e.in_flight) ? e.in_flight : null);
    flightS2C.push(!c2s && Number.isFinite(e.in_flight) ? e.in_flight : null);
  }
  return { columns: [x, winClient, winServer, flightC2S, flightS2C] };
}

/** What each of the kernel's congestion-avoidance states (tcp_ca_state) means. */
export const CA_STATES = Object.freeze(['open', 'disorder', 'cwr', 'recovery', 'loss']);

/**
 * The kernel's congestion window and slow-start threshold from
 * connection.kernel samples ({ t, side, cwnd, ssthresh, ca_state, ... },
 * TCP_INFO read from the client's and the server's socket): one cwnd and one
 * ssthresh column per side that has samples; null when the timeline has none.
 *
 * Every sample is kept. The client's and the server's sockets are read at the
 * same instant, so their samples share times: a row holds one sample of each
 * side, and a second sample of the same side at the same time gets a row of
 * its own (same x), never overwriting the first. Values are in segments as the
 * kernel reports them; an "infinite" ssthresh (null in the timeline, or
 * 0x7fffffff) is left out.
 *
 * Also returned: `changes`, each side's ca_state changes ({ t, side, from, to },
 * the first sample counting as a change only when it is not "open"), and
 * `range`, the x and y extents of the samples (for axes fitted to the data).
 */
export function kernelSeries(connection) {
  const samples = Array.isArray(connection?.kernel) ? connection.kernel : [];
  const sorted = samples.filter((s) => s && typeof s === 'object' && Number.isFinite(s.t))
    .map((s, k) => ({ s, k })).sort((a, b) => a.s.t - b.s.t || a.k - b.k).map((p) => p.s);
  if (sorted.length === 0) return null;
  const sideOf = (s) => (s.side === 'server' ? 'server' : 'client');
  const sides = ['client', 'server'].filter((side) => sorted.some((s) => sideOf(s) === side));
  const val = (v) => (Number.isFinite(v) && v < 2 ** 31 - 1 ? v : null);
  const x = [];
  const cols = sides.flatMap(() => [[], []]);
  let filled = null;   // the sides that already have a sample in the last row
  for (const s of sorted) {
    const k = sides.indexOf(sideOf(s));
    if (x.length === 0 || x.at(-1) !== s.t || filled.has(k)) {
      x.push(s.t);
      for (const c of cols) c.push(null);
      filled = new Set();
    }
    filled.add(k);
    cols[2 * k][x.length - 1] = val(s.cwnd);
    cols[2 * k + 1][x.length - 1] = val(s.ssthresh);
  }
  const changes = [];
  const last = new Map();
  for (const s of sorted) {
    if (typeof s.ca_state !== 'string') continue;
    const state = CA_STATES.includes(s.ca_state) ? s.ca_state : 'unknown';
    const side = sideOf(s);
    const before = last.has(side) ? last.get(side) : 'open';
    if (state !== before) changes.push({ t: s.t, side, from: before, to: state });
    last.set(side, state);
  }
  let yMax = 0;
  for (const c of cols) for (const v of c) if (v !== null && v > yMax) yMax = v;
  return { sides, columns: [x, ...cols], changes, range: { x: [x[0], x.at(-1)], y: [0, yMax] } };
}
