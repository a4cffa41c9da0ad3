// Strings kept as bytes: the payload previews of a million segments as one
// growing byte pool instead of a million JavaScript strings (which the
// garbage collector would walk again and again while the timeline loads).
// Each string is kept as the inside of its JSON literal, UTF-8, as the
// timeline had it (so the fast line reader copies bytes without decoding
// them), and is turned back into a string only when asked for: a segment
// drawn, clicked or searched.
//
// One thing is kept shorter: the analyzer shows a payload byte that is not
// text as \xNN, which its JSON writes as the five bytes \\xNN. A binary
// preview of 64 bytes is then 320 bytes of literal, and a million of them
// (a bulk transfer of zeros) would be most of the page's memory. Those five
// bytes are kept as two, PACKED and the byte's value; a literal that holds a
// byte of PACKED or above itself (not UTF-8) is kept as it came.

const CHUNK = 1 << 20;
const PACKED = 0xfe;

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();
const LOWER_HEX = new Int16Array(256).fill(-1);
for (let v = 0; v < 16; v++) LOWER_HEX[v.toString(16).charCodeAt(0)] = v;
const HEX_DIGIT = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

// Where each string is, one number a string: (chunk * 2^32 + offset) * 4 +
// packed * 2 + plain; its length is written in front of its bytes (7 bits a
// byte, low first).
const PLACES = 1 << 16;

/**
 * The packed form of bytes[start..end) (a literal's inside) into out at `at`;
 * returns where it ended, or -1 when the literal cannot be packed.
 */
function pack(bytes, start, end, out, at) {
  let i = start;
  while (i < end) {
    const c = bytes[i];
    if (c >= PACKED) return -1;
    if (c !== 0x5c) { out[at++] = c; i++; continue; }
    // An escape: \\xNN (lower-case hex) packed, any other copied whole.
    const next = bytes[i + 1];
    if (next >= PACKED) return -1;
    if (next === 0x5c && bytes[i + 2] === 0x78 && i + 4 < end) {
      const hi = LOWER_HEX[bytes[i + 3]];
      const lo = LOWER_HEX[bytes[i + 4]];
      if (hi >= 0 && lo >= 0) {
        out[at++] = PACKED;
        out[at++] = hi * 16 + lo;
        i += 5;
        continue;
      }
    }
    out[at++] = c;
    out[at++] = next;
    i += 2;
  }
  return at;
}

/** The literal's bytes again from its packed form. */
function unpack(bytes) {
  let n = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === PACKED) { n += 3; i++; }
  const out = new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== PACKED) { out[at++] = c; continue; }
    const v = bytes[++i];
    out[at++] = 0x5c; out[at++] = 0x5c; out[at++] = 0x78;
    out[at++] = HEX_DIGIT[v >> 4]; out[at++] = HEX_DIGIT[v & 15];
  }
  return out;
}

/**
 * A pool of strings, each referred to by the number add() returned. add()
 * takes the bytes of a JSON string literal without its quotes; `plain` says
 * they hold no escape and no byte above 0x7f (the string is the bytes).
 */
export function createTextPool() {
  const chunks = [];
  let used = 0;                // bytes used in the last chunk
  const places = [];           // Float64Arrays of PLACES
  let count = 0;
  let scratch = new Uint8Array(1024);

  function reserve(n) {
    if (chunks.length === 0 || used + n > chunks[chunks.length - 1].length) {
      chunks.push(new Uint8Array(Math.max(CHUNK, n)));
      used = 0;
    }
    const at = used;
    used += n;
    return at;
  }

  function record(chunk, at, flags) {
    if ((count & (PLACES - 1)) === 0) places.push(new Float64Array(PLACES));
    places[count >>> 16][count & (PLACES - 1)] = (chunk * 2 ** 32 + at) * 4 + flags;
    return count++;
  }

  /** Keeps `n` bytes of `from` starting at `start` behind their length; returns the place's number. */
  function keep(from, start, n, flags) {
    const prefix = n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
    const at = reserve(prefix + n);
    const chunk = chunks[chunks.length - 1];
    let v = n;
    for (let k = 0; k < prefix; k++, v = Math.floor(v / 128)) chunk[at + k] = (v % 128) | (k < prefix - 1 ? 0x80 : 0);
    chunk.set(from.subarray(start, start + n), at + prefix);
    return record(chunks.length - 1, at, flags);
  }

  return {
    /** Keeps bytes[start..end) (a JSON literal's inside); returns its number. */
    addBytes(bytes, start, end, plain) {
      if (plain) return keep(bytes, start, end - start, 1);
      if (scratch.length < end - start) scratch = new Uint8Array(2 * (end - start));
      const n = pack(bytes, start, end, scratch, 0);
      return n < 0 ? keep(bytes, start, end - start, 0) : keep(scratch, 0, n, 2);
    },
    /** Keeps a JavaScript string; returns its number. */
    addString(s) {
      const literal = JSON.stringify(s);
      const bytes = utf8Encoder.encode(literal.slice(1, -1));
      const plain = bytes.length === literal.length - 2 && !literal.includes('\\');
      return this.addBytes(bytes, 0, bytes.length, plain);
    },
    /** String number `id` as a JavaScript string. */
    get(id) {
      const place = places[id >>> 16][id & (PLACES - 1)];
      const flags = place % 4;
      const chunk = chunks[Math.floor(place / 2 ** 34)];
      let at = Math.floor(place / 4) % 2 ** 32;
      let n = 0;
      for (let scale = 1; ; scale *= 128) {
        const b = chunk[at++];
        n += (b & 0x7f) * scale;
        if (b < 0x80) break;
      }
      const bytes = chunk.subarray(at, at + n);
      if (flags === 1) return n <= 4096 ? String.fromCharCode.apply(null, bytes) : utf8.decode(bytes);
      return JSON.parse(`"${utf8.decode(flags === 2 ? unpack(bytes) : bytes)}"`);
    },
    get length() { return count; },
    bytes: () => chunks.reduce((n, c) => n + c.length, 0) + places.length * PLACES * 8,
  };
}
