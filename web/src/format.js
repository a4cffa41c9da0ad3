// Small text formatters shared by the diagram, the details pane and the
// connection list. Pure; they accept anything and never throw.

/** "127.0.0.1:6666", "[::1]:6666"; "?" for a missing endpoint. */
export function formatEndpoint(ep) {
  if (!ep || typeof ep !== 'object') return '?';
  const ip = typeof ep.ip === 'string' ? ep.ip : '?';
  const port = Number.isFinite(ep.port) ? ep.port : '?';
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Seconds since the first packet, to the microsecond. */
export function formatTime(t) {
  return Number.isFinite(t) ? t.toFixed(6) : '?';
}

/** A duration in a readable unit: "850 µs", "2.4 ms", "3.02 s", "4 min 10 s". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.abs(seconds);
  if (s < 1e-3) return `${Math.round(seconds * 1e6)} µs`;
  if (s < 1) return `${+(seconds * 1e3).toPrecision(3)} ms`;
  if (s < 120) return `${+seconds.toPrecision(3)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** 1234567 → "1,234,567" (no locale dependence, so tests are stable). */
export function formatCount(n) {
  if (!Number.isFinite(n)) return '?';
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes with a binary unit: "812 B", "3.4 KiB", "12.0 MiB". */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Shortens text to at most `max` characters, marking the cut with "…". */
export function clip(text, max) {
  const s = typeof text === 'string' ? text : '';
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** True for 127.0.0.0/8, ::1 and ::ffff:127.x.x.x. */
export function isLoopback(ip) {
  if (typeof ip !== 'string') return false;
  return ip.startsWith('127.') || ip === '::1' || ip.toLowerCase().startsWith('::ffff:127.');
}
