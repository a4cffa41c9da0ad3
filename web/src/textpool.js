// Strings kept as bytes: the payload previews of a million segments as one
// growing byte pool instead of a million JavaScript strings (which the
// garbage collector would walk again and again while the timeline loads).
// Each string is kept as the inside of its JSON literal, UTF-8, exactly as the
// timeline had it (so the fast line reader copies bytes without decoding them),
// and is turned back into a string only when asked for: a segment drawn,
// clicked or searched.

const CHUNK = 1 << 20;

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * A pool of strings, each referred to by the number add() returned. add()
 * takes the bytes of a JSON string literal without its quotes; `plain` says
 * they hold no escape and no byte above 0x7f (the string is the bytes).
 */
// Where each string is, one number a string: (chunk * 2^32 + offset) * 2 + plain;
// its length is written in front of its bytes (7 bits a byte, low first).
const PLACES = 1 << 16;

export function createTextPool() {
  const chunks = [];
  let used = 0;                // bytes used in the last chunk
  const places = [];           // Float64Arrays of PLACES
  let count = 0;

  function reserve(n) {
    if (chunks.length === 0 || used + n > chunks[chunks.length - 1].length) {
      chunks.push(new Uint8Array(Math.max(CHUNK, n)));
      used = 0;
    }
    const at = used;
    used += n;
    return at;
  }

  function record(chunk, at, plain) {
    if ((count & (PLACES - 1)) === 0) places.push(new Float64Array(PLACES));
    places[count >>> 16][count & (PLACES - 1)] = (chunk * 2 ** 32 + at) * 2 + (plain ? 1 : 0);
    return count++;
  }

  return {
    /** Keeps bytes[start..end) (a JSON literal's inside); returns its number. */
    addBytes(bytes, start, end, plain) {
      const n = end - start;
      const prefix = n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
      const at = reserve(prefix + n);
      const chunk = chunks[chunks.length - 1];
      let v = n;
      for (let k = 0; k < prefix; k++, v = Math.floor(v / 128)) chunk[at + k] = (v % 128) | (k < prefix - 1 ? 0x80 : 0);
      chunk.set(bytes.subarray(start, end), at + prefix);
      return record(chunks.length - 1, at, plain);
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
      const plain = place % 2 === 1;
      const chunk = chunks[Math.floor(place / 2 ** 33)];
      let at = Math.floor(place / 2) % 2 ** 32;
      let n = 0;
      for (let scale = 1; ; scale *= 128) {
        const b = chunk[at++];
        n += (b & 0x7f) * scale;
        if (b < 0x80) break;
      }
      const bytes = chunk.subarray(at, at + n);
      if (plain) return n <= 4096 ? String.fromCharCode.apply(null, bytes) : utf8.decode(bytes);
      return JSON.parse(`"${utf8.decode(bytes)}"`);
    },
    get length() { return count; },
    bytes: () => chunks.reduce((n, c) => n + c.length, 0) + places.length * PLACES * 8,
  };
}
