// Follow stream: one connection's bytes per direction in the order the
// receiving application reads them, with a mark where each segment's bytes
// begin, retransmissions (not read twice) and segments that arrived early
// (held until the gap in front of them was filled). The same rules as
// `tcpviz analyze --format stream` (analyzer/src/stream_reassembly.cpp).
//
// The static page has only the timeline, which keeps a preview of each
// segment's payload (the first 64 bytes by default), so the view shows those
// previews, labelled as such, and names the command that prints every byte.
// Payload is attacker-controlled: it only ever goes in as text.

import { h } from './dom.js';
import { LAYER_NAMES } from './layer-names.js';

/** Most segments of one connection the panel reads (the rest: the command line). */
export const MAX_STREAM_SEGMENTS = 5000;

const has = (e, flag) => Array.isArray(e.flags) && e.flags.includes(flag);
const tagged = (e, name) => Array.isArray(e.analysis) && e.analysis.includes(name);

/** Signed distance a − b between 32-bit sequence numbers (wraps as TCP does). */
function seqDiff(a, b) { return ((a - b) | 0); }

/**
 * Pieces of one direction, from its events in capture order:
 * [{ kind: 'data'|'repeat'|'gap'|'fin'|'rst', frame, t, seq, len, preview, early, releasedBy, retransmission, outOfOrder }]
 */
export function streamPieces(events) {
  const pieces = [];
  const waiting = [];
  let next = null;
  const deliver = (p, start, end, releasedBy) => {
    const skip = Math.max(0, seqDiff(next, start));
    pieces.push({ ...p, kind: 'data', seq: (start + skip) >>> 0, len: p.len - skip, overlap: skip, releasedBy });
    next = end;
  };
  const release = (frame) => {
    waiting.sort((a, b) => seqDiff(a.start, b.start));
    while (waiting.length && seqDiff(waiting[0].start, next) <= 0) {
      const w = waiting.shift();
      if (seqDiff(w.end, next) > 0) deliver(w.piece, w.start, w.end, frame);
    }
  };
  for (const e of events) {
    if (!e || !Number.isFinite(e.seq)) continue;
    const syn = has(e, 'SYN');
    if (next === null) next = (e.seq + (syn ? 1 : 0)) >>> 0;
    const len = Number.isFinite(e.len) ? e.len : 0;
    const start = (e.seq + (syn ? 1 : 0)) >>> 0;
    const end = (start + len) >>> 0;
    const piece = {
      frame: e.frame, t: e.t, seq: start, len, preview: typeof e.payload === 'string' ? e.payload : '',
      retransmission: tagged(e, 'retransmission'), outOfOrder: tagged(e, 'out_of_order'),
    };
    if (len > 0) {
      if (seqDiff(end, next) <= 0) pieces.push({ ...piece, kind: 'repeat' });
      else if (seqDiff(start, next) > 0) waiting.push({ piece: { ...piece, early: true }, start, end });
      else { deliver(piece, start, end, 0); release(e.frame); }
    }
    if (has(e, 'FIN') && !pieces.some((p) => p.kind === 'fin')) pieces.push({ kind: 'fin', frame: e.frame, t: e.t });
    if (has(e, 'RST')) pieces.push({ kind: 'rst', frame: e.frame, t: e.t });
  }
  while (waiting.length) {
    waiting.sort((a, b) => seqDiff(a.start, b.start));
    if (seqDiff(waiting[0].start, next) > 0) {
      pieces.push({ kind: 'gap', seq: next, len: seqDiff(waiting[0].start, next), frame: waiting[0].piece.frame });
      next = waiting[0].start;
    }
    release(0);
  }
  return pieces;
}

/** The events of connection `id` from a store (or array), at most `max` of them. */
export function connectionEvents(events, id, max = MAX_STREAM_SEGMENTS) {
  const out = [];
  let more = false;
  const n = events.length;
  for (let i = 0; i < n; i++) {
    const conn = typeof events.conn === 'function' ? events.conn(i) : events[i]?.conn;
    if (conn !== id) continue;
    if (out.length >= max) { more = true; break; }
    out.push(typeof events.get === 'function' ? events.get(i) : events[i]);
  }
  return { events: out, more };
}

/** A preview cut into lines after each \n escape (kept visible), for display. */
export function previewLines(preview) {
  const lines = [];
  let line = '';
  for (let i = 0; i < preview.length; i++) {
    if (preview[i] === '\\' && i + 1 < preview.length) {
      const pair = preview.slice(i, i + 2);
      line += pair;
      i += 1;
      if (pair === '\\n') { lines.push(line); line = ''; }
      continue;
    }
    line += preview[i];
  }
  if (line !== '') lines.push(line);
  return lines;
}

// The marks are those of `--format stream`, from analyzer/layer_names.json.
function word(lang, id, params = {}) {
  const text = (LAYER_NAMES[lang] ?? LAYER_NAMES.en).stream[id] ?? id;
  return text.replace(/\{(\w+)\}/g, (m, name) => (Object.hasOwn(params, name) ? String(params[name]) : m));
}

function mark(lang, p) {
  const time = Number.isFinite(p.t) ? p.t.toFixed(6) : '—';
  if (p.kind === 'fin') return word(lang, 'fin', { frame: p.frame, t: time });
  if (p.kind === 'rst') return word(lang, 'rst', { frame: p.frame, t: time });
  if (p.kind === 'gap') return word(lang, 'gap', { first: p.seq, last: (p.seq + p.len - 1) >>> 0, n: p.len });
  const range = { frame: p.frame, t: time, first: p.seq, last: (p.seq + p.len - 1) >>> 0, n: p.len };
  if (p.kind === 'repeat') return word(lang, 'repeat', range);
  const parts = [word(lang, 'data', range)];
  if (p.early) parts.push(p.releasedBy ? word(lang, 'early', { by: p.releasedBy }) : word(lang, 'early_never'));
  if (p.retransmission) parts.push(word(lang, 'retransmission'));
  if (p.outOfOrder) parts.push(word(lang, 'fills_gap'));
  return `${parts.join(word(lang, 'separator'))}]`;
}

function directionView(t, lang, label, pieces) {
  const rows = pieces.map((p) => h('div', { class: `stream-piece stream-${p.kind}${p.early ? ' stream-early' : ''}`, 'data-frame': p.frame ?? '' },
    h('div', { class: 'stream-mark' }, mark(lang, p)),
    p.kind === 'data' && p.preview
      ? h('pre', { class: 'stream-text mono' }, previewLines(p.preview).join('\n'))
      : null));
  return h('section', { class: 'stream-direction' }, h('h4', null, label),
    rows.length ? rows : h('p', { class: 'hint' }, word(lang, 'no_data').trim()));
}

/** The follow-stream panel of connection `conn` from its events (capture order). */
export function streamView(t, lang, conn, events, { more = false, file = 'CAPTURE' } = {}) {
  const c2s = events.filter((e) => e && e.dir !== 's2c');
  const s2c = events.filter((e) => e && e.dir === 's2c');
  const ep = (x) => (x ? `${String(x.ip).includes(':') ? `[${x.ip}]` : x.ip}:${x.port}` : '?');
  return h('section', { class: 'stream-view', 'data-conn': conn?.id ?? '' },
    h('h3', null, t('stream.title', { conn: conn?.id ?? '?' })),
    h('p', { class: 'hint' }, t('stream.preview_only')),
    h('p', { class: 'hint' }, t('stream.command'), ' ',
      h('code', { class: 'mono' }, `tcpviz analyze ${file} --format stream`)),
    more ? h('p', { class: 'hint warn' }, t('stream.more', { n: MAX_STREAM_SEGMENTS })) : null,
    directionView(t, lang, t('stream.c2s', { from: ep(conn?.client), to: ep(conn?.server) }), streamPieces(c2s)),
    directionView(t, lang, t('stream.s2c', { from: ep(conn?.server), to: ep(conn?.client) }), streamPieces(s2c)));
}
