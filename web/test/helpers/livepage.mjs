// Measuring the live page (?live=1) from the outside: an init script records
// each `segment` message the page's EventSource receives (its frame, capture
// time "wall", direction and payload preview) and the moment an arrow with
// that frame first appears in the DOM (a MutationObserver). The page's own
// code is not changed; both clocks are the machine's wall clock.

export const INIT_SCRIPT = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__live = { hello: null, segments: [], seen: new Map(), aggregates: 0 };
  const live = window.__live;
  const add = EventTarget.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, fn, options) {
    if (type !== 'segment' && type !== 'hello' && type !== 'aggregate') return add.call(this, type, fn, options);
    return add.call(this, type, function (ev) {
      try {
        const d = JSON.parse(ev.data);
        if (type === 'hello') live.hello = d;
        else if (type === 'aggregate') live.aggregates++;
        else if (d.len > 0) live.segments.push({ frame: d.frame, wall: d.wall, dir: d.dir, payload: String(d.payload ?? ''), at: now() });
      } catch { /* the page drops it too */ }
      return fn.call(this, ev);
    }, options);
  };
  const mark = (el) => {
    const f = el.getAttribute && el.getAttribute('data-frame');
    if (f !== null && f !== undefined && !live.seen.has(Number(f))) live.seen.set(Number(f), now());
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') { mark(r.target); continue; }
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        mark(node);
        for (const el of node.querySelectorAll('[data-frame]')) mark(el);
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-frame'] });
})();`;

/**
 * For each text (a chat line): { latency, own }. latency: ms from the capture
 * time of the client-to-server segment carrying it to the first arrow carrying
 * it in the DOM (that segment's, or the server's copy to another student when
 * the page drew a batch and the first arrow scrolled by undrawn); Infinity
 * while none is drawn. own: whether the client-to-server arrow itself was
 * drawn. One evaluation for all, so that measuring does not load the page.
 */
export async function arrowLatencies(page, texts) {
  return page.evaluate((needles) => needles.map((needle) => {
    const carrying = window.__live.segments.filter((s) => s.payload.includes(needle));
    const sent = carrying.find((s) => s.dir === 'c2s');
    if (!sent) return { latency: Infinity, own: false };
    const times = carrying.map((s) => window.__live.seen.get(s.frame)).filter((t) => t !== undefined);
    const latency = times.length ? Math.min(...times) - sent.wall * 1000 : Infinity;
    return { latency, own: window.__live.seen.has(sent.frame) };
  }), texts);
}

/** arrowLatencies once every line is drawn, or `timeout` ms after the last was sent. */
export async function waitArrowLatencies(page, texts, timeout = 5000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const latencies = await arrowLatencies(page, texts);
    if (latencies.every((l) => Number.isFinite(l.latency)) || Date.now() > deadline) return latencies;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Median, 95th percentile and maximum of a list of numbers. */
export function figures(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1), count: sorted.length };
}
