// layout(timeline) → lanes, arrows, labels: the geometry of the ladder diagram,
// pure and free of the DOM so that Node tests can check it and the drawing
// code (diagram.js) only turns it into SVG.
//
//   x: | gutter | bracket | client states ‖client        arrows         server‖ server states |
//   y: one row per shown segment, from timeaxis.js; inside a row of height H:
//        labelBaseline   "PSH,ACK seq=1 ack=1 len=8 win=65536"
//        arrowTop ───────────────────────────────────────────╮ (sloped by arrowDrop)
//        payloadBaseline “hello 1\n”                 retransmission
//
// Rows are appended as events arrive; arrow(i) is computed on demand, so a
// timeline of 200,000 segments costs two typed arrays until rows are drawn.

import { createTimeAxis, autoScale, firstRowAt, AXIS_DEFAULTS } from './timeaxis.js';
import { filterEvents } from './filter.js';
import { asEvents } from './eventstore.js';
import { segmentLabel, segmentKind, payloadLabel } from './labels.js';
import { sortedTags, tagGroup } from './tags.js';
import { formatEndpoint, isLoopback } from './format.js';

export const GEOMETRY = Object.freeze({
  gutter: 92,
  bracket: 34,
  stateColumn: 150,
  rightMargin: 12,
  minWidth: 640,
  labelBaseline: 14,
  arrowTop: 20,
  arrowDrop: 12,
  payloadBaseline: 45,
  headLength: 10,
  headWidth: 4.5,
  stateStep: 15,
});

/** About how wide `text` is in pixels at `fontSize` (CJK characters are square). */
export function textWidth(text, fontSize = 12.5) {
  let w = 0;
  for (const ch of String(text)) w += ch.codePointAt(0) >= 0x2e80 ? fontSize : fontSize * 0.64;
  return w;
}

/** The first of `candidates` that fits in `room` pixels, else the last one clipped to fit. */
export function fitLabel(candidates, room, fontSize = 12.5) {
  for (const c of candidates) if (textWidth(c, fontSize) <= room) return c;
  let last = [...candidates.at(-1)];
  while (last.length > 1 && textWidth(`${last.join('')}…`, fontSize) > room) last = last.slice(0, -1);
  return `${last.join('')}…`;
}

/** The two lifelines' x for a drawing `width` pixels wide. */
export function laneX(width) {
  const g = GEOMETRY;
  const w = Math.max(g.minWidth, Number.isFinite(width) ? width : 0);
  const stateColumn = w < 900 ? 112 : g.stateColumn;
  const clientX = g.gutter + g.bracket + stateColumn;
  const serverX = w - g.rightMargin - stateColumn;
  return { width: w, clientX, serverX, stateColumn };
}

/**
 * The lifelines' titles: the endpoints of the connection in view, or of every
 * connection when they all share one (otherwise "N connections").
 */
export function laneTitles(connections, conn) {
  const list = Array.isArray(connections) ? connections.filter((c) => c && typeof c === 'object') : [];
  const shown = conn === null || conn === undefined ? list : list.filter((c) => c.id === conn);
  const one = (side) => {
    const eps = new Set(shown.map((c) => formatEndpoint(c[side])));
    if (eps.size === 1) return [...eps][0];
    if (eps.size === 0) return '';
    return { count: eps.size };
  };
  return { client: one('client'), server: one('server') };
}

/** Even spacing for loopback traffic (everything within microseconds), real time otherwise. */
export function defaultMode(timeline) {
  const conns = Array.isArray(timeline?.connections) ? timeline.connections : [];
  if (conns.length > 0) {
    return conns.every((c) => isLoopback(c?.client?.ip) && isLoopback(c?.server?.ip)) ? 'even' : 'real';
  }
  // Connections come last in a streamed timeline: judge by the first events'
  // pace instead (loopback conversations keep gaps well under a millisecond).
  const ev = timeline?.events ? asEvents(timeline.events) : asEvents([]);
  const times = [];
  for (let i = 0; i < Math.min(200, ev.length); i++) if (Number.isFinite(ev.t(i))) times.push(ev.t(i));
  if (times.length < 2) return 'even';
  return AXIS_DEFAULTS.rowHeight / autoScale(times) < 1e-3 ? 'even' : 'real';
}

function arrowHead(x1, y1, x2, y2) {
  const g = GEOMETRY;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = x2 - ux * g.headLength;
  const by = y2 - uy * g.headLength;
  return {
    base: [bx, by],
    points: [[x2, y2], [bx - uy * g.headWidth, by + ux * g.headWidth], [bx + uy * g.headWidth, by - ux * g.headWidth]],
  };
}

/**
 * A layout that grows: create it with the events known so far (an array that
 * may still grow) and the options, then append() the indices of rows to show.
 */
export function createLayout(timeline, options = {}) {
  const events = asEvents(timeline.events);
  const mode = options.mode === 'real' ? 'real' : 'even';
  const rowHeight = options.rowHeight ?? AXIS_DEFAULTS.rowHeight;
  const firstTimes = [];
  for (let i = 0; i < Math.min(5000, events.length); i++) firstTimes.push(events.t(i));
  const pxPerSecond = options.pxPerSecond ?? autoScale(firstTimes, rowHeight) * (options.zoom ?? 1);
  const axis = createTimeAxis({ mode, rowHeight, pxPerSecond });
  const x = laneX(options.width);
  const raw = Boolean(options.raw);
  const conn = Number.isInteger(options.conn) ? options.conn : null;
  // Name each row's connection only when rows of several may be shown.
  const nameConn = conn === null && (timeline.connections?.length ?? 0) !== 1;
  let rows = new Int32Array(1024);
  let count = 0;
  let bracketCache = null;
  // Each connection's round-trip time as far as known: its handshake's (from
  // the summary, which a streamed timeline brings last) or the longest
  // ack_rtt of its segments so far. No gap under a few RTTs is folded.
  const rtt = new Map();
  for (const c of Array.isArray(timeline.connections) ? timeline.connections : []) {
    if (c && Number.isFinite(c.handshake?.rtt_ms)) rtt.set(c.id, c.handshake.rtt_ms / 1000);
  }
  const foldRtts = AXIS_DEFAULTS.foldRtts;

  // A windowed session (windowed.js) that shows every event has its rows
  // before their events, one row height apart: row r shows event r at
  // top + r × rowHeight, computed rather than kept (millions of rows kept
  // were tens of megabytes and half a second before the first screen).
  let uniform = events.windowed === true;
  const top0 = axis.options.top;

  function append(indices) {
    if (events.windowed) { appendUntimed(indices); return; }
    for (let k = 0; k < indices.length; k++) {
      if (count === rows.length) {
        const bigger = new Int32Array(rows.length * 2);
        bigger.set(rows);
        rows = bigger;
      }
      const i = indices[k];
      rows[count++] = i;
      const conn = events.conn(i);
      const ackRtt = events.ackRtt(i);
      if (Number.isFinite(ackRtt) && !(ackRtt <= (rtt.get(conn) ?? 0))) rtt.set(conn, ackRtt);
      axis.push(events.t(i), foldRtts * (rtt.get(conn) ?? 0));
      spanRow(count - 1);
    }
    bracketCache = null;
  }

  // A windowed session (windowed.js) has its rows before their events: they
  // are one row height apart, laid out without a look-up per row (millions).
  function appendUntimed(indices) {
    if (uniform) materialize();
    if (count + indices.length > rows.length) {
      const bigger = new Int32Array(Math.max(rows.length * 2, count + indices.length));
      bigger.set(rows.subarray(0, count));
      rows = bigger;
    }
    rows.set(indices, count);
    count += indices.length;
    axis.pushUntimed(indices.length);
    bracketCache = null;
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

  const top = (i) => (uniform ? top0 + i * rowHeight : axis.y[i]);
  const eventAt = (r) => (uniform ? r : rows[r]);

  // Each connection's handshake and teardown rows, kept up to date as rows
  // are appended (looking through a million rows at every drawing while a
  // big timeline loads was most of its loading time).
  const spans = new Map();
  function spanRow(r) {
    const phase = events.phase(rows[r]);
    if (phase !== 'handshake' && phase !== 'teardown') return;
    const conn = events.conn(rows[r]);
    const key = `${conn}/${phase}`;
    let sp = spans.get(key);
    if (!sp) {
      sp = { kind: phase, conn, from: r, to: r, rst: false };
      spans.set(key, sp);
    }
    sp.to = r;
    const flags = events.flags(rows[r]);
    if (Array.isArray(flags) && flags.includes('RST')) sp.rst = true;
  }

  /**
   * Everything needed to draw row i, its y coordinates less `origin` (the
   * drawing keeps its numbers small: SVG coordinates are single precision,
   * which at 50 million px is off by several pixels).
   */
  function arrow(i, origin = 0) {
    const g = GEOMETRY;
    const e = events.get(eventAt(i));
    const rowTop = top(i) - origin;
    // A windowed session's event that has not arrived yet.
    if (!e) return { row: i, index: eventAt(i), placeholder: true, top: rowTop, gutterX: 8 };
    const c2s = e.dir !== 's2c';
    const x1 = c2s ? x.clientX : x.serverX;
    const x2 = c2s ? x.serverX : x.clientX;
    const y1 = rowTop + g.arrowTop;
    const y2 = y1 + g.arrowDrop;
    const head = arrowHead(x1, y1, x2, y2);
    const tags = sortedTags(e.analysis);
    const span = x.serverX - x.clientX;
    const states = [];
    const perSide = { client: 0, server: 0 };
    for (const s of Array.isArray(e.states) ? e.states : []) {
      if (!s || (s.side !== 'client' && s.side !== 'server')) continue;
      const sender = (s.side === 'client') === c2s;
      const n = perSide[s.side]++;
      states.push({
        side: s.side,
        from: typeof s.from === 'string' ? s.from : '',
        to: typeof s.to === 'string' ? s.to : '',
        x: s.side === 'client' ? x.clientX - 8 : x.serverX + 8,
        y: (sender ? y1 : y2) + 4 + n * g.stateStep,
        dotY: sender ? y1 : y2,
        anchor: s.side === 'client' ? 'end' : 'start',
      });
    }
    return {
      row: i,
      index: eventAt(i),
      frame: e.frame,
      conn: e.conn,
      dir: c2s ? 'c2s' : 's2c',
      kind: segmentKind(e),
      top: rowTop,
      x1, y1, x2, y2,
      line: [x1, y1, head.base[0], head.base[1]],
      head: head.points,
      label: segmentLabel(e, { raw }),
      labelX: (x1 + x2) / 2,
      labelY: rowTop + g.labelBaseline,
      payload: payloadLabel(e, Math.max(12, Math.floor((span * 0.5) / 7.6))),
      payloadX: x1 + (c2s ? 14 : -14),
      payloadAnchor: c2s ? 'start' : 'end',
      payloadY: rowTop + g.payloadBaseline,
      tags,
      tagGroup: tags.length ? tagGroup(tags[0]) : null,
      tagsX: x2 + (c2s ? -14 : 14),
      tagsAnchor: c2s ? 'end' : 'start',
      tagsY: rowTop + g.payloadBaseline,
      frameText: `#${e.frame}`,
      timeText: Number.isFinite(e.t) ? e.t.toFixed(6) : '',
      connText: nameConn ? `c${e.conn}` : '',
      gutterX: 8,
      states,
      problem: Boolean(e.truncated || e.malformed),
    };
  }

  /**
   * Handshake and teardown brackets: for each connection, the span of shown
   * rows in that phase. The teardown's kind comes from the connection summary
   * when it has arrived, else from the segments (an RST means "rst").
   */
  function brackets() {
    if (bracketCache) return bracketCache;
    const g = GEOMETRY;
    const byId = new Map((timeline.connections ?? []).filter((c) => c && typeof c === 'object').map((c) => [c.id, c]));
    bracketCache = [...spans.values()].map((s) => {
      const c = byId.get(s.conn);
      let detail = null;
      if (s.kind === 'teardown') {
        const td = c?.teardown;
        if (td?.refused) detail = 'refused';
        else if (typeof td?.kind === 'string' && td.kind !== 'none') {
          // A FIN teardown's style (half-close, simultaneous) names it more precisely.
          detail = td.kind === 'fin' && (td.style === 'half_close' || td.style === 'simultaneous') ? td.style : td.kind;
        }
        else detail = s.rst ? 'rst' : 'fin';
      } else if (c?.handshake && c.handshake.complete === false) {
        // Begun but not finished, or begun before the capture did.
        detail = c.handshake.seen === false && !(c.handshake.syn_ack_count > 0) ? 'not_captured' : 'incomplete';
      }
      return {
        kind: s.kind,
        detail,
        conn: s.conn,
        from: s.from,
        to: s.to,
        // Handshakes are bracketed left of the client, teardowns right of the
        // server, so that a connection's close and the next one's opening
        // (often one row apart) never share a column.
        side: s.kind === 'handshake' ? 'left' : 'right',
        x: s.kind === 'handshake' ? g.gutter + 26 : x.width - g.rightMargin - 14,
        y1: top(s.from) + g.arrowTop - 8,
        y2: top(s.to) + g.arrowTop + g.arrowDrop + 8,
      };
    }).sort((a, b) => a.y1 - b.y1);
    // How long a label each bracket may carry: the label is centred on the
    // bracket, so it may reach past both ends by the same margin, at most
    // half the free space to the next bracket on the same side and half a row.
    for (const side of ['left', 'right']) {
      const list = bracketCache.filter((b) => b.side === side);
      list.forEach((b, k) => {
        const before = k > 0 ? b.y1 - list[k - 1].y2 : Infinity;
        const after = k + 1 < list.length ? list[k + 1].y1 - b.y2 : Infinity;
        const margin = Math.max(0, Math.min(before / 2 - 3, after / 2 - 3, rowHeight / 2));
        b.room = (b.y2 - b.y1) + 2 * margin;
      });
    }
    return bracketCache;
  }

  return {
    mode,
    raw,
    conn,
    lanes: x,
    rowHeight,
    pxPerSecond,
    get count() { return count; },
    /** Each row's event index, and each row's top, as arrays (a uniform layout makes them: tests, exports). */
    get rows() { if (uniform) materialize(); return rows.subarray(0, count); },
    get y() { if (uniform) materialize(); return axis.y; },
    get height() { return uniform ? top0 + (count + 1) * rowHeight : axis.height; },
    get folds() { return axis.folds; },
    append,
    appendAll,
    arrow,
    brackets,
    /** Row i's top; the event index row r shows. */
    top,
    eventAt,
    /** The first row whose bottom (top + `below`) is past `y` (count when none is). */
    firstRowBelow(y, below) {
      if (!uniform) return firstRowAt(axis.y, below, y);
      return Math.min(count, Math.max(0, Math.floor((y - below - top0) / rowHeight) + 1));
    },
    /** The row showing event index `index`, or -1. */
    rowOfEvent(index) {
      if (uniform) return Number.isInteger(index) && index >= 0 && index < count ? index : -1;
      let lo = 0;
      let hi = count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid] === index) return mid;
        if (rows[mid] < index) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
  };
}

/**
 * The whole layout of a timeline at once (what the tests and exports use):
 * filtered rows, lanes with titles, every arrow, brackets and folds.
 */
export function layout(timeline, options = {}) {
  const events = Array.isArray(timeline?.events) ? timeline.events : [];
  const safe = { ...timeline, events, connections: Array.isArray(timeline?.connections) ? timeline.connections : [] };
  const criteria = options.criteria ?? {};
  const l = createLayout(safe, { ...options, conn: criteria.conn ?? null });
  l.append(filterEvents(events, criteria));
  const titles = laneTitles(safe.connections, criteria.conn ?? null);
  const arrows = [];
  for (let i = 0; i < l.count; i++) arrows.push(l.arrow(i));
  return {
    width: l.lanes.width,
    height: l.height,
    mode: l.mode,
    lanes: [
      { side: 'client', x: l.lanes.clientX, title: titles.client },
      { side: 'server', x: l.lanes.serverX, title: titles.server },
    ],
    rows: l.rows,
    y: l.y,
    arrows,
    brackets: l.brackets(),
    folds: l.folds,
  };
}
