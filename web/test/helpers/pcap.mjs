// Writes a small pcap of one TCP conversation on Ethernet/IPv4, with the
// payloads chosen by the test: handshake, one message each way, FIN close.
// Checksums are computed, so the capture is a correct one for any reader.

const be16 = (v) => [(v >>> 8) & 0xff, v & 0xff];
const be32 = (v) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

function checksum(bytes) {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) + (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const CLIENT = { ip: [127, 0, 0, 1], port: 50000, mac: [2, 0, 0, 0, 0, 1] };
const SERVER = { ip: [127, 0, 0, 1], port: 6666, mac: [2, 0, 0, 0, 0, 2] };
const FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 };

function frame(from, to, { seq, ack, flags, payload = new Uint8Array(0), win = 65535 }) {
  const tcp = [
    ...be16(from.port), ...be16(to.port), ...be32(seq), ...be32(ack),
    5 << 4, flags.reduce((b, f) => b | FLAGS[f], 0), ...be16(win), 0, 0, 0, 0, ...payload,
  ];
  const pseudo = [...from.ip, ...to.ip, 0, 6, ...be16(tcp.length)];
  const tsum = checksum([...pseudo, ...tcp]);
  tcp[16] = tsum >>> 8;
  tcp[17] = tsum & 0xff;
  const ip = [0x45, 0, ...be16(20 + tcp.length), 0, 0, 0x40, 0, 64, 6, 0, 0, ...from.ip, ...to.ip];
  const isum = checksum(ip);
  ip[10] = isum >>> 8;
  ip[11] = isum & 0xff;
  return Uint8Array.from([...to.mac, ...from.mac, 0x08, 0x00, ...ip, ...tcp]);
}

/** The pcap bytes of a conversation: the client sends `question`, the server answers `answer`. */
export function conversationPcap(question, answer) {
  const q = new TextEncoder().encode(question);
  const a = new TextEncoder().encode(answer);
  const c0 = 1000;
  const s0 = 5000;
  const C = (o) => frame(CLIENT, SERVER, o);
  const S = (o) => frame(SERVER, CLIENT, o);
  const packets = [
    C({ seq: c0, ack: 0, flags: ['SYN'] }),
    S({ seq: s0, ack: c0 + 1, flags: ['SYN', 'ACK'] }),
    C({ seq: c0 + 1, ack: s0 + 1, flags: ['ACK'] }),
    C({ seq: c0 + 1, ack: s0 + 1, flags: ['PSH', 'ACK'], payload: q }),
    S({ seq: s0 + 1, ack: c0 + 1 + q.length, flags: ['ACK'] }),
    S({ seq: s0 + 1, ack: c0 + 1 + q.length, flags: ['PSH', 'ACK'], payload: a }),
    C({ seq: c0 + 1 + q.length, ack: s0 + 1 + a.length, flags: ['ACK'] }),
    C({ seq: c0 + 1 + q.length, ack: s0 + 1 + a.length, flags: ['FIN', 'ACK'] }),
    S({ seq: s0 + 1 + a.length, ack: c0 + 2 + q.length, flags: ['FIN', 'ACK'] }),
    C({ seq: c0 + 2 + q.length, ack: s0 + 2 + a.length, flags: ['ACK'] }),
  ];
  const header = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
  const out = [...header];
  packets.forEach((p, i) => {
    const usec = 1000 * i;
    const le32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    out.push(...le32(1700000000), ...le32(usec), ...le32(p.length), ...le32(p.length), ...p);
  });
  return Uint8Array.from(out);
}
