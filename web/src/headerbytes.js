// The TCP header of a segment, rebuilt byte by byte from the fields the
// timeline records, for the details pane's byte view (RFC 9293 §3.1):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   |          Source Port          |       Destination Port        |
//   |                        Sequence Number                        |
//   |                    Acknowledgment Number                      |
//   |  Data |       |C|E|U|A|P|R|S|F|                               |
//   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
//   |           Checksum            |         Urgent Pointer        |
//   |                    Options                    |    Padding    |
//
// The timeline does not carry the checksum or the urgent pointer (nor the
// bytes of options it does not decode), so those bytes are null: the page
// shows them as "··" rather than inventing them.

const FLAG_BITS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 };

/** Short names of TCP option kinds (IANA "TCP Option Kind Numbers"). */
export const OPTION_NAMES = Object.freeze(Object.assign(Object.create(null), {
  0: 'EOL', 1: 'NOP', 2: 'MSS', 3: 'WS', 4: 'SACK_PERM', 5: 'SACK', 8: 'TS', 30: 'MPTCP', 34: 'TFO',
}));

function u16(v) { return Number.isInteger(v) ? [(v >>> 8) & 0xff, v & 0xff] : [null, null]; }
function u32(v) {
  return Number.isFinite(v) && v >= 0 ? [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff] : [null, null, null, null];
}

/** The option bytes for one entry of options.list, using the decoded values where there are some. */
function optionBytes(entry, o, sackBase) {
  const kind = entry.kind;
  const len = Number.isInteger(entry.len) ? entry.len : 1;
  if (kind === 0 || kind === 1) return [kind];
  const out = [kind, len];
  if (kind === 2 && len === 4) out.push(...u16(o.mss));
  else if (kind === 3 && len === 3) out.push(Number.isInteger(o.ws) ? o.ws : null);
  else if (kind === 4 && len === 2) { /* SACK permitted: no data */ }
  else if (kind === 8 && len === 10 && Array.isArray(o.ts)) out.push(...u32(o.ts[0]), ...u32(o.ts[1]));
  else if (kind === 5 && Array.isArray(o.sack) && len === 2 + 8 * o.sack.length) {
    for (const [l, r] of o.sack) {
      out.push(...u32(sackBase === null ? null : (l + sackBase) >>> 0), ...u32(sackBase === null ? null : (r + sackBase) >>> 0));
    }
  }
  while (out.length < len) out.push(null);
  return out.slice(0, Math.max(len, 1));
}

/**
 * { bytes: (number|null)[], fields: [{ key, start, end, value }] } where a
 * field covers bytes[start..end). `conn` (the connection summary) gives the
 * ports and the ISN that turns relative SACK edges back into raw ones.
 */
export function tcpHeaderBytes(e, conn) {
  const c2s = e.dir !== 's2c';
  const src = c2s ? conn?.client : conn?.server;
  const dst = c2s ? conn?.server : conn?.client;
  const flags = Array.isArray(e.flags) ? e.flags : [];
  const o = e.options && typeof e.options === 'object' ? e.options : {};
  const list = Array.isArray(o.list) ? o.list.filter((x) => x && Number.isInteger(x.kind)) : [];
  // SACK blocks acknowledge the other direction's bytes, relative to its ISN.
  const peerIsn = c2s ? conn?.isn?.server : conn?.isn?.client;
  const sackBase = Number.isFinite(peerIsn) ? peerIsn : null;

  const opt = [];
  const optFields = [];
  for (const entry of list) {
    const bytes = optionBytes(entry, o, sackBase);
    optFields.push({ key: 'option', name: OPTION_NAMES[entry.kind] ?? `kind ${entry.kind}`, start: 20 + opt.length, end: 20 + opt.length + bytes.length });
    opt.push(...bytes);
  }
  const padding = (4 - (opt.length % 4)) % 4;
  const headerLength = 20 + opt.length + padding;
  let flagByte = 0;
  for (const f of flags) flagByte |= FLAG_BITS[f] ?? 0;
  const offsetByte = ((headerLength / 4) << 4) | (flags.includes('AE') ? 1 : 0);
  const urgent = flags.includes('URG') ? [null, null] : [0, 0];

  const bytes = [
    ...u16(src?.port), ...u16(dst?.port),
    ...u32(e.seq_raw), ...u32(e.ack_raw),
    offsetByte, flagByte, ...u16(e.win_raw),
    null, null, ...urgent,
    ...opt, ...new Array(padding).fill(0),
  ];
  const fields = [
    { key: 'src_port', start: 0, end: 2, value: src?.port ?? null },
    { key: 'dst_port', start: 2, end: 4, value: dst?.port ?? null },
    { key: 'seq', start: 4, end: 8, value: e.seq_raw ?? null },
    { key: 'ack', start: 8, end: 12, value: e.ack_raw ?? null },
    { key: 'offset_flags', start: 12, end: 14, value: `${headerLength} B, ${flags.join(',') || '-'}` },
    { key: 'window', start: 14, end: 16, value: e.win_raw ?? null },
    { key: 'checksum', start: 16, end: 18, value: null },
    { key: 'urgent', start: 18, end: 20, value: flags.includes('URG') ? null : 0 },
    ...optFields.map((f) => ({ ...f, value: f.name })),
  ];
  if (padding) fields.push({ key: 'padding', start: headerLength - padding, end: headerLength, value: padding });
  return { bytes, fields, headerLength };
}
