// The text written on a segment's arrow: flags, sequence and acknowledgment
// numbers, length and window, the way Wireshark's Info column reads
// ("PSH,ACK seq=1 ack=1 len=8 win=65536"), relative by default, raw on request.

import { clip } from './format.js';

const hasFlag = (e, f) => Array.isArray(e.flags) && e.flags.includes(f);

/** "PSH,ACK seq=1 ack=1 len=8 win=65536"; with raw, the numbers as on the wire. */
export function segmentLabel(e, { raw = false } = {}) {
  if (!e || typeof e !== 'object') return '';
  const flags = Array.isArray(e.flags) && e.flags.length ? e.flags.filter((f) => typeof f === 'string').join(',') : '(none)';
  const parts = [flags];
  const seq = raw ? e.seq_raw : e.seq;
  if (Number.isFinite(seq)) parts.push(`seq=${seq}`);
  if (hasFlag(e, 'ACK')) {
    const ack = raw ? e.ack_raw : e.ack;
    if (Number.isFinite(ack)) parts.push(`ack=${ack}`);
  }
  if (Number.isFinite(e.len) && e.len > 0) parts.push(`len=${e.len}`);
  const win = raw ? e.win_raw : e.win;
  if (Number.isFinite(win)) parts.push(`win=${win}`);
  return parts.join(' ');
}

/**
 * What kind of segment this is, for its arrow's style: "rst", "syn", "fin",
 * "data" (carries bytes) or "ack" (nothing but an acknowledgment).
 */
export function segmentKind(e) {
  if (!e || typeof e !== 'object') return 'ack';
  if (hasFlag(e, 'RST')) return 'rst';
  if (hasFlag(e, 'SYN')) return 'syn';
  if (hasFlag(e, 'FIN')) return 'fin';
  if (Number.isFinite(e.len) && e.len > 0) return 'data';
  return 'ack';
}

/**
 * The payload preview drawn under a data segment's arrow, quoted and clipped;
 * "" when the segment carries none. The analyzer already wrote control bytes
 * as escapes (\n, \x00), so this is plain text.
 */
export function payloadLabel(e, max = 48) {
  if (!e || typeof e.payload !== 'string' || e.payload === '') return '';
  return `“${clip(e.payload, max)}”`;
}
