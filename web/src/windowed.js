// A session served by `tcpviz serve` (index.html?session=ID), seen through
// windows: the page knows how many events there are, lays out one row per
// event, and asks the server for the events near the view
// (GET /api/sessions/ID/events?from=&count=) as the user scrolls. A bounded
// number of windows is kept (the least recently used go), so the page's
// memory does not grow with the capture.
//
// The object returned has the event interface of eventstore.js (length,
// get, t, conn, ...): get(i) is undefined until i's window has arrived;
// want(from, to) asks for the windows covering rows from..to-1, and
// onLoaded() is called when one arrives.

export const WINDOW = 500;
const KEEP_WINDOWS = 64;

export function createWindowedEvents({ session, total, fetchJson, onLoaded = () => {}, onError = () => {} }) {
  const windows = new Map();     // window number → events array (Map order = use order)
  const pending = new Set();
  const base = `/api/sessions/${encodeURIComponent(session)}`;

  function lookup(i) {
    const w = Math.floor(i / WINDOW);
    const list = windows.get(w);
    return list ? list[i - w * WINDOW] : undefined;
  }

  async function load(w) {
    pending.add(w);
    try {
      const body = await fetchJson(`${base}/events?from=${w * WINDOW}&count=${WINDOW}`);
      if (!body || !Array.isArray(body.events)) throw new Error('the server sent no events');
      windows.set(w, body.events.filter((e) => e && typeof e === 'object' && !Array.isArray(e)));
      while (windows.size > KEEP_WINDOWS) windows.delete(windows.keys().next().value);
      onLoaded(w);
    } catch (err) {
      onError(err);
    } finally {
      pending.delete(w);
    }
  }

  const field = (name) => (i) => lookup(i)?.[name];
  return {
    windowed: true,
    get length() { return total; },
    get: (i) => (i >= 0 && i < total ? lookup(i) : undefined),
    /** Asks for the windows that cover events from..to-1 (those not here nor on their way). */
    want(from, to) {
      const first = Math.max(0, Math.floor(from / WINDOW));
      const last = Math.min(Math.floor((total - 1) / WINDOW), Math.floor((to - 1) / WINDOW));
      for (let w = first; w <= last; w++) {
        const list = windows.get(w);
        if (list) {
          windows.delete(w);   // most recently used last
          windows.set(w, list);
        } else if (!pending.has(w)) load(w);
      }
    },
    /** Whether every event of from..to-1 is here. */
    has(from, to) {
      for (let w = Math.floor(from / WINDOW); w * WINDOW < Math.min(to, total); w++) if (!windows.has(w)) return false;
      return true;
    },
    get keptWindows() { return windows.size; },
    t: field('t'),
    frame: field('frame'),
    conn: field('conn'),
    len: field('len'),
    ackRtt: field('ack_rtt'),
    flags: field('flags'),
    analysis: field('analysis'),
    states: field('states'),
    phase: field('phase'),
    payload: field('payload'),
  };
}

/** GET a JSON answer of the server; its {"error"} message when it is not 200. */
export async function fetchJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  let body;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const why = body && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    throw new Error(`${url}: ${why}`);
  }
  return body;
}
