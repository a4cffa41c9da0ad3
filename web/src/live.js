// The live page (index.html?live=1): Server-Sent Events from `tcpviz serve
// --live` at /api/live/events. Each message's data is JSON:
//
//   hello       { session, total }: the live session, and how many events it
//               had before this page connected (fetched through the
//               sessions API, the most recent ones the server keeps)
//   segment     a timeline event, plus its "index" and "wall" (capture time)
//   connection  a connection summary (new, or its states grew)
//   kernel      { conn, sample }: a TCP_INFO sample of one of its sockets
//   aggregate   { from_index, to_index, segments, bytes, by_conn, reason }:
//               segments the server counted instead of sending (too fast)
//
// Anything that does not parse as an object is dropped. EventSource
// reconnects by itself; onState says when the stream is open or lost.

export const LIVE_EVENTS = ['hello', 'segment', 'connection', 'kernel', 'aggregate'];

/** JSON data of one message, or null when it is not an object. */
export function parseMessage(data) {
  let value;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/**
 * Opens the stream; handlers: onHello, onSegment, onConnection, onKernel,
 * onAggregate (each given the parsed data) and onState('open' | 'lost').
 * Returns { close }.
 */
export function connectLive(url, handlers) {
  const source = new EventSource(url);
  const name = { hello: 'onHello', segment: 'onSegment', connection: 'onConnection', kernel: 'onKernel', aggregate: 'onAggregate' };
  for (const type of LIVE_EVENTS) {
    source.addEventListener(type, (ev) => {
      const value = parseMessage(ev.data);
      if (value) handlers[name[type]]?.(value);
    });
  }
  source.addEventListener('open', () => handlers.onState?.('open'));
  source.addEventListener('error', () => handlers.onState?.('lost'));
  return { close: () => source.close() };
}

/**
 * Calls draw() when asked, at once while the page keeps up with the capture,
 * paced when it falls behind: request(behind) is given how far (ms) the
 * segment that asks is behind the capture, beyond the least seen (which
 * absorbs a clock offset between the capture's machine and the page's).
 * Behind by more than `lagLimit`, drawings are merged: after one that took
 * D ms the next waits max(minGap, D / share) ms. At chat rates every segment
 * is drawn as it comes; at high rates the page draws batches and catches up
 * instead of queueing one drawing (and one forced layout) per segment.
 * now() and setTimer are injectable for tests.
 */
export function createPacer(draw, { lagLimit = 50, minGap = 16, share = 0.5, now = () => performance.now(), setTimer = setTimeout } = {}) {
  let last = -Infinity;
  let cost = 0;
  let timer = null;
  let least = Infinity;
  const run = () => {
    timer = null;
    const started = now();
    last = started;
    draw();
    // Measured after the microtasks draw() queued (the diagram renders in one).
    Promise.resolve().then(() => {
      cost = now() - started;
      performance.measure?.('tcpviz:live-draw', { start: started, duration: cost });
    });
  };
  return (lag) => {
    if (timer !== null) return;
    if (Number.isFinite(lag)) least = Math.min(least, lag);
    const behind = Number.isFinite(lag) ? lag - least : 0;
    const wait = behind > lagLimit ? last + Math.max(minGap, cost / share) - now() : 0;
    if (wait <= 0) run();
    else timer = setTimer(run, wait);
  };
}
