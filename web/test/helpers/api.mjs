// The HTTP API of `tcpviz serve` (serve/API.md in the serve branch) for the
// page's tests, answered from a timeline in memory: session 0 is that
// timeline, /api/live/events a stream the test feeds (send()). Only what the
// page uses, with the same shapes, so the page can be tested before (and
// apart from) the real server.

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

/** A handler for serve(…, { handle }); live.send(type, data) pushes to every open stream. */
export function apiHandler(timeline, { liveSession = 1, liveTotal = 0, liveEvents = [] } = {}) {
  const streams = new Set();
  const counts = { events: 0, meta: 0, frame: 0 };
  const handle = async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const p = url.pathname;
    let m;
    if (p === '/api/live/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(`event: hello\ndata: ${JSON.stringify({ session: liveSession, total: liveTotal })}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return true;
    }
    if ((m = /^\/api\/sessions\/(\d+)\/meta$/.exec(p))) {
      counts.meta++;
      if (m[1] !== '0') return json(res, 404, { error: 'no such session' }), true;
      json(res, 200, { id: 0, name: 'test.pcap', source: timeline.source, segments: timeline.events.length,
        connections: timeline.connections, stats: timeline.stats, duration: 1 });
      return true;
    }
    if ((m = /^\/api\/sessions\/(\d+)\/events$/.exec(p))) {
      counts.events++;
      const from = Number(url.searchParams.get('from') ?? 0);
      const count = Number(url.searchParams.get('count') ?? 500);
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(count) || count > 2000) return json(res, 400, { error: 'bad range' }), true;
      const list = m[1] === String(liveSession) ? liveEvents : timeline.events;
      json(res, 200, { from, total: list.length, events: list.slice(from, from + count) });
      return true;
    }
    if ((m = /^\/api\/sessions\/0\/frame\/(\d+)$/.exec(p))) {
      counts.frame++;
      const frame = Number(m[1]);
      const index = timeline.events.findIndex((e) => e.frame >= frame);
      if (index < 0) return json(res, 404, { error: 'no such frame' }), true;
      json(res, 200, { index, frame: timeline.events[index].frame });
      return true;
    }
    if (p.startsWith('/api/')) return json(res, 404, { error: 'no such path' }), true;
    return false;
  };
  return {
    handle,
    counts,
    get streams() { return streams.size; },
    send(type, data) {
      for (const res of streams) res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    },
  };
}
