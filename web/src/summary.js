// One line per connection for the connection list: endpoints, handshake RTT,
// bytes each way, how it ended and how many segments each analysis tag marked.

import { formatEndpoint } from './format.js';
import { sortedTags } from './tags.js';

const num = (v) => (Number.isFinite(v) ? v : 0);

export function connectionSummary(c) {
  const counts = c && typeof c.counts === 'object' && c.counts ? c.counts : {};
  const td = c && typeof c.teardown === 'object' && c.teardown ? c.teardown : {};
  const hs = c && typeof c.handshake === 'object' && c.handshake ? c.handshake : {};
  const ac = c && typeof c.analysis_counts === 'object' && c.analysis_counts ? c.analysis_counts : {};
  const tags = sortedTags(Object.keys(ac)).map((name) => ({ name, count: num(ac[name]) })).filter((t) => t.count > 0);
  let teardown = typeof td.kind === 'string' ? td.kind : 'none';
  // A FIN teardown's style (half-close, simultaneous) names it more precisely.
  if (teardown === 'fin' && (td.style === 'half_close' || td.style === 'simultaneous')) teardown = td.style;
  if (td.refused) teardown = 'refused';
  return {
    id: c?.id,
    client: formatEndpoint(c?.client),
    server: formatEndpoint(c?.server),
    rttMs: Number.isFinite(hs.rtt_ms) ? hs.rtt_ms : null,
    handshakeComplete: Boolean(hs.complete),
    // No SYN and no SYN-ACK: the capture began after the handshake.
    handshakeCaptured: hs.seen !== false || num(hs.syn_ack_count) > 0,
    segments: num(counts.c2s?.segments) + num(counts.s2c?.segments),
    bytesC2S: num(counts.c2s?.bytes),
    bytesS2C: num(counts.s2c?.bytes),
    teardown,
    teardownBy: typeof td.by === 'string' ? td.by : null,
    duration: Number.isFinite(c?.end) && Number.isFinite(c?.start) ? c.end - c.start : null,
    tags,
  };
}
