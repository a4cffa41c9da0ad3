// The two sources of a page served by `tcpviz serve`, beside the static ones
// of loader.js: a session browsed through windows (?session=ID) and the live
// capture (?live=1). Both feed the same layout, diagram and virtual scroller
// as a file does; `app` is the page's wiring (app.js) they act through.

import { createWindowedEvents, fetchJson } from './windowed.js';
import { connectLive, createPacer } from './live.js';
import { createEventStore } from './eventstore.js';
import { formatCount, formatBytes } from './format.js';
import { countText } from './i18n.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens session `id` of the server windowed: events are asked for as rows come into view. */
export async function openWindowed(app, id) {
  const { state, t } = app;
  app.beginSource(`#${id}`);
  let meta;
  for (;;) {
    try {
      meta = await fetchJson(`/api/sessions/${encodeURIComponent(id)}/meta`);
      break;
    } catch (err) {
      // 409 while the server is still indexing: say so and ask again.
      if (!/index/i.test(String(err.message))) { app.fail(err); return; }
      app.setStatus(t('load.loading', { name: `#${id}` }));
      await sleep(500);
    }
  }
  const total = Number.isSafeInteger(meta?.segments) && meta.segments >= 0 ? meta.segments : 0;
  const events = createWindowedEvents({
    session: id,
    total,
    fetchJson,
    onLoaded: () => app.windowArrived(),
    onError: (err) => app.setStatus(String(err.message)),
  });
  state.timeline = {
    events,
    connections: Array.isArray(meta.connections) ? meta.connections : [],
    source: meta.source,
    stats: meta.stats,
  };
  state.name = typeof meta.name === 'string' ? meta.name : `#${id}`;
  state.mode = 'even';
  app.finishSource({ windowed: true });
}

/** The index of frame `frame` in a windowed session (the server's frame index). */
export async function windowedFrameIndex(id, frame) {
  const body = await fetchJson(`/api/sessions/${encodeURIComponent(id)}/frame/${encodeURIComponent(frame)}`);
  return Number.isSafeInteger(body?.index) ? body.index : -1;
}

/**
 * The live page: the events the server kept before this page connected, then
 * each segment as the capture analyses it. The view follows the newest row
 * until the user scrolls away from it ("Jump to live" comes back).
 */
export function openLive(app) {
  const { state, t } = app;
  app.beginSource(t('live.title'));
  const tl = { events: createEventStore(), connections: [] };
  state.timeline = tl;
  state.name = t('live.title');
  state.mode = 'even';
  app.finishSource({ live: true });
  app.setStatus(t('live.connecting'));

  let next = 0;            // the next event index wanted
  let backlogDone = false;
  const early = [];        // segments that came while the backlog was fetched
  let aggregateTimer = null;

  const add = (e) => {
    if (!Number.isSafeInteger(e.index) || e.index < next) return false;
    next = e.index + 1;
    const { index, wall, ...event } = e;
    tl.events.push(event);
    return true;
  };
  // Segments are kept as they come; drawing them is paced (see createPacer).
  const grown = createPacer(() => {
    app.eventsAdded();
    app.setStatus(t('live.status', { segments: countText(t, 'count.segments', tl.events.length, formatCount),
      connections: countText(t, 'count.connections', tl.connections.length, formatCount) }));
  });

  async function backlog(session, total) {
    const from = Math.max(0, total - 20000);
    next = from;
    for (let at = from; at < total; at += 2000) {
      try {
        const body = await fetchJson(`/api/sessions/${encodeURIComponent(session)}/events?from=${at}&count=${Math.min(2000, total - at)}`);
        (body?.events ?? []).forEach((e, k) => { if (e && typeof e === 'object') add({ ...e, index: (body.from ?? at) + k }); });
      } catch {
        next = Math.max(next, at + 2000);   // gone (410) or failed: go on with what comes live
      }
    }
    backlogDone = true;
    for (const e of early.splice(0)) add(e);
    grown();
  }

  connectLive('/api/live/events', {
    onHello: (h) => {
      if (Number.isSafeInteger(h.total) && h.total > 0 && Number.isSafeInteger(h.session) && tl.events.length === 0) backlog(h.session, h.total);
      else { backlogDone = true; grown(); }
    },
    onSegment: (e) => {
      if (!backlogDone) { early.push(e); return; }
      // How far behind the capture this page is (the pacer draws in batches past 50 ms).
      const lag = Number.isFinite(e.wall) ? Date.now() - e.wall * 1000 : 0;
      if (add(e)) grown(lag);
    },
    onConnection: (c) => {
      if (!Number.isSafeInteger(c.id)) return;
      const at = tl.connections.findIndex((x) => x.id === c.id);
      const kernel = at >= 0 ? tl.connections[at].kernel : undefined;
      const merged = kernel && !Array.isArray(c.kernel) ? { ...c, kernel } : c;
      if (at >= 0) tl.connections[at] = merged; else tl.connections.push(merged);
      app.connectionsChanged();
    },
    onKernel: (k) => {
      const c = tl.connections.find((x) => x.id === k.conn);
      if (!c || !k.sample || typeof k.sample !== 'object') return;
      (c.kernel ??= []).push(k.sample);
      app.kernelGrew(c.id);
    },
    onAggregate: (a) => {
      app.showNotice(t('live.aggregate', {
        segments: formatCount(Number(a.segments) || 0), bytes: formatBytes(Number(a.bytes) || 0),
      }));
      clearTimeout(aggregateTimer);
      aggregateTimer = setTimeout(() => app.showNotice(null), 5000);
    },
    onState: (s) => { if (s === 'lost') app.setStatus(t('live.lost')); },
  });
}
