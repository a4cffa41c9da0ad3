// Which events the diagram shows: one connection or all, only flagged
// segments, pure ACKs hidden, a text search in payload previews.

import { asEvents } from './eventstore.js';

/**
 * A pure ACK: only the ACK flag, no data. Those that carry an analysis tag (a
 * duplicate ACK, a window update) or change an endpoint's state (the last ACK
 * of the handshake) are kept by "hide pure ACKs" because the lesson is in them.
 */
export function isPureAck(e) {
  return Array.isArray(e.flags) && e.flags.length === 1 && e.flags[0] === 'ACK' && !(e.len > 0);
}

export function isFlagged(e) {
  return Array.isArray(e.analysis) && e.analysis.length > 0;
}

const hasStates = (e) => Array.isArray(e.states) && e.states.length > 0;

/** The criteria with defaults filled in: show everything. */
export function normalizeCriteria(c = {}) {
  return {
    conn: Number.isInteger(c.conn) ? c.conn : null,
    flaggedOnly: Boolean(c.flaggedOnly),
    hidePureAcks: Boolean(c.hidePureAcks),
    search: typeof c.search === 'string' ? c.search.trim().toLowerCase() : '',
  };
}

/** Whether the criteria let every event through. */
export function showsEverything(criteria) {
  const c = normalizeCriteria(criteria);
  return c.conn === null && !c.flaggedOnly && !c.hidePureAcks && c.search === '';
}

/** A predicate for one event under the criteria. */
export function eventMatcher(criteria) {
  const c = normalizeCriteria(criteria);
  return (e) => {
    if (!e || typeof e !== 'object') return false;
    if (c.conn !== null && e.conn !== c.conn) return false;
    if (c.flaggedOnly && !isFlagged(e)) return false;
    if (c.hidePureAcks && isPureAck(e) && !isFlagged(e) && !hasStates(e)) return false;
    if (c.search !== '') {
      if (typeof e.payload !== 'string' || !e.payload.toLowerCase().includes(c.search)) return false;
    }
    return true;
  };
}

/**
 * Indices (into `events`: an array of objects or an event store) of the
 * events that pass, in capture order. With `from`, only events[from..] are
 * looked at, so a timeline that is still arriving can be filtered piece by
 * piece. Reads single fields, never building an event object.
 */
export function filterEvents(events, criteria, from = 0) {
  const c = normalizeCriteria(criteria);
  const ev = asEvents(events ?? []);
  const n = ev.length;
  const out = new Int32Array(Math.max(0, n - from));
  let k = 0;
  const everything = showsEverything(c);
  for (let i = from; i < n; i++) {
    if (everything) { out[k++] = i; continue; }
    if (c.conn !== null && ev.conn(i) !== c.conn) continue;
    const analysis = ev.analysis(i);
    const flagged = Array.isArray(analysis) && analysis.length > 0;
    if (c.flaggedOnly && !flagged) continue;
    if (c.hidePureAcks && !flagged) {
      const f = ev.flags(i);
      const st = ev.states(i);
      const len = ev.len(i);
      const pure = Array.isArray(f) && f.length === 1 && f[0] === 'ACK' && !(len > 0);
      if (pure && !(Array.isArray(st) && st.length > 0)) continue;
    }
    if (c.search !== '') {
      const p = ev.payload(i);
      if (typeof p !== 'string' || !p.toLowerCase().includes(c.search)) continue;
    }
    out[k++] = i;
  }
  return out.slice(0, k);
}
