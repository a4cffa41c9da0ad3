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

import { autoScale, AXIS_DEFAULTS } from './timeaxis.js';
import { filterEvents } from './filter.js';
import { asEvents } from './eventstore.js';
import { formatEndpoint, isLoopback } from './format.js';
import { GEOMETRY } from './layout-geometry.js';
import { createRows } from './layout-rows.js';
import { segmentArrow } from './layout-arrow.js';
import { createBrackets } from './layout-brackets.js';

export { GEOMETRY };

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

/**
 * The time axis's options: `options.mode`, row height and scale (real mode's
 * pixels per second from the pace of the first 5,000 events, times the zoom).
 */
function axisOptions(events, options) {
  const mode = options.mode === 'real' ? 'real' : 'even';
  const rowHeight = options.rowHeight ?? AXIS_DEFAULTS.rowHeight;
  const firstTimes = [];
  for (let i = 0; i < Math.min(5000, events.length); i++) firstTimes.push(events.t(i));
  const pxPerSecond = options.pxPerSecond ?? autoScale(firstTimes, rowHeight) * (options.zoom ?? 1);
  return { mode, rowHeight, pxPerSecond };
}

/**
 * A layout that grows: create it with the events known so far (an array that
 * may still grow) and the options, then append() the indices of rows to show.
 */
export function createLayout(timeline, options = {}) {
  const events = asEvents(timeline.events);
  const { mode, rowHeight, pxPerSecond } = axisOptions(events, options);
  const lanes = laneX(options.width);
  const raw = Boolean(options.raw);
  const conn = Number.isInteger(options.conn) ? options.conn : null;
  // Name each row's connection only when rows of several may be shown.
  const nameConn = conn === null && (timeline.connections?.length ?? 0) !== 1;
  // The brackets hear of each row as it is appended; they need the rows' tops.
  let brackets = null;
  const rows = createRows(events, timeline.connections, { mode, rowHeight, pxPerSecond },
    (r, index) => brackets.addRow(r, index));
  brackets = createBrackets({ events, timeline, lanes, top: rows.top, rowHeight });

  /**
   * Everything needed to draw row i, its y coordinates less `origin` (the
   * drawing keeps its numbers small: SVG coordinates are single precision,
   * which at 50 million px is off by several pixels).
   */
  function arrow(i, origin = 0) {
    const index = rows.eventAt(i);
    const e = events.get(index);
    const rowTop = rows.top(i) - origin;
    // A windowed session's event that has not arrived yet.
    if (!e) return { row: i, index, placeholder: true, top: rowTop, gutterX: 8 };
    return segmentArrow(e, { row: i, index, rowTop, lanes, raw, nameConn });
  }

  return {
    mode,
    raw,
    conn,
    lanes,
    rowHeight,
    pxPerSecond,
    get count() { return rows.count; },
    /** Each row's event index, and each row's top, as arrays (a uniform layout makes them: tests, exports). */
    get rows() { return rows.rows; },
    get y() { return rows.y; },
    get height() { return rows.height; },
    get folds() { return rows.folds; },
    append(indices) { rows.append(indices); brackets.invalidate(); },
    /** Rows for events count..n-1, each event shown (a windowed session with no filter). */
    appendAll(n) { rows.appendAll(n); brackets.invalidate(); },
    arrow,
    /**
     * Handshake and teardown brackets: for each connection, the span of shown
     * rows in that phase (layout-brackets.js).
     */
    brackets: () => brackets.list(),
    /** Row i's top; the event index row r shows. */
    top: rows.top,
    eventAt: rows.eventAt,
    /** The first row whose bottom (top + `below`) is past `y` (count when none is). */
    firstRowBelow: rows.firstRowBelow,
    /** The row showing event index `index`, or -1. */
    rowOfEvent: rows.rowOfEvent,
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
