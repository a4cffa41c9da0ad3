// The handshake and teardown brackets of the ladder diagram (layout.js): for
// each connection, the span of shown rows in that phase, with what kind of
// opening or close it was.

import { GEOMETRY } from './layout-geometry.js';

/** The teardown's kind: from the connection summary when it has arrived, else an RST means "rst". */
function teardownDetail(c, rst) {
  const td = c?.teardown;
  if (td?.refused) return 'refused';
  if (typeof td?.kind === 'string' && td.kind !== 'none') {
    // A FIN teardown's style (half-close, simultaneous) names it more precisely.
    return td.kind === 'fin' && (td.style === 'half_close' || td.style === 'simultaneous') ? td.style : td.kind;
  }
  return rst ? 'rst' : 'fin';
}

/** A handshake begun but not finished, or begun before the capture did; null when complete. */
function handshakeDetail(c) {
  if (!(c?.handshake && c.handshake.complete === false)) return null;
  return c.handshake.seen === false && !(c.handshake.syn_ack_count > 0) ? 'not_captured' : 'incomplete';
}

/**
 * How long a label each bracket may carry: the label is centred on the
 * bracket, so it may reach past both ends by the same margin, at most half
 * the free space to the next bracket on the same side and half a row.
 */
function setLabelRoom(list, rowHeight) {
  for (const side of ['left', 'right']) {
    const same = list.filter((b) => b.side === side);
    same.forEach((b, k) => {
      const before = k > 0 ? b.y1 - same[k - 1].y2 : Infinity;
      const after = k + 1 < same.length ? same[k + 1].y1 - b.y2 : Infinity;
      const margin = Math.max(0, Math.min(before / 2 - 3, after / 2 - 3, rowHeight / 2));
      b.room = (b.y2 - b.y1) + 2 * margin;
    });
  }
}

/**
 * The brackets of a growing layout. addRow(r, index) for each row with a
 * time; list() the brackets, cached until invalidate() (rows appended).
 * `timeline.connections` is read at each list(): the summaries come last.
 */
export function createBrackets({ events, timeline, lanes, top, rowHeight }) {
  // Each connection's handshake and teardown rows, kept up to date as rows
  // are appended (looking through a million rows at every drawing while a
  // big timeline loads was most of its loading time).
  const spans = new Map();
  let cache = null;

  function addRow(r, index) {
    const phase = events.phase(index);
    if (phase !== 'handshake' && phase !== 'teardown') return;
    const conn = events.conn(index);
    const key = `${conn}/${phase}`;
    let sp = spans.get(key);
    if (!sp) {
      sp = { kind: phase, conn, from: r, to: r, rst: false };
      spans.set(key, sp);
    }
    sp.to = r;
    const flags = events.flags(index);
    if (Array.isArray(flags) && flags.includes('RST')) sp.rst = true;
  }

  function list() {
    if (cache) return cache;
    const g = GEOMETRY;
    const byId = new Map((timeline.connections ?? []).filter((c) => c && typeof c === 'object').map((c) => [c.id, c]));
    cache = [...spans.values()].map((s) => {
      const c = byId.get(s.conn);
      return {
        kind: s.kind,
        detail: s.kind === 'teardown' ? teardownDetail(c, s.rst) : handshakeDetail(c),
        conn: s.conn,
        from: s.from,
        to: s.to,
        // Handshakes are bracketed left of the client, teardowns right of the
        // server, so that a connection's close and the next one's opening
        // (often one row apart) never share a column.
        side: s.kind === 'handshake' ? 'left' : 'right',
        x: s.kind === 'handshake' ? g.gutter + 26 : lanes.width - g.rightMargin - 14,
        y1: top(s.from) + g.arrowTop - 8,
        y2: top(s.to) + g.arrowTop + g.arrowDrop + 8,
      };
    }).sort((a, b) => a.y1 - b.y1);
    setLabelRoom(cache, rowHeight);
    return cache;
  }

  return { addRow, list, invalidate() { cache = null; } };
}
