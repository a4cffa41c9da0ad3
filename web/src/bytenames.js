// Looking things up by the bytes they were written as, without decoding
// them to a string first: member names (eventline.js reads a member's name
// as bytes and wants its index) and values that repeat (flags arrays, option
// lists, phase names), each decoded once, the first time it is met.

const asciiEncoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8');

export function hashBytes(b, s, e) {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/**
 * Member names looked up by their bytes: find(b, s, e, after) is the index in
 * `names`, or -1. The analyzer writes members in the same order in every
 * event, so the name that followed `after` last time is tried first (a
 * compare of a few bytes), the hash table only when that guess is wrong.
 */
export function nameTable(names) {
  const byHash = new Map();
  const encoded = names.map((name) => asciiEncoder.encode(name));
  encoded.forEach((bytes, index) => byHash.set(hashBytes(bytes, 0, bytes.length), { bytes, index }));
  const next = new Int16Array(names.length + 1).fill(-1);
  const same = (bytes, b, s, e) => {
    if (bytes.length !== e - s) return false;
    for (let i = 0; i < e - s; i++) if (bytes[i] !== b[s + i]) return false;
    return true;
  };
  return (b, s, e, after) => {
    const guess = next[after + 1];
    if (guess >= 0 && same(encoded[guess], b, s, e)) return guess;
    const hit = byHash.get(hashBytes(b, s, e));
    const index = hit && same(hit.bytes, b, s, e) ? hit.index : -1;
    next[after + 1] = index;
    return index;
  };
}

// Values kept at most: past this many different ones (a timeline no analyzer
// wrote) each new one is decoded every time instead of kept.
const MAX_CACHED = 1 << 16;

/**
 * Values met before, by the bytes they were written as: make(value) gives
 * the value's id (0: unfit). The last value found is tried first.
 */
export function byteCache(make) {
  const byHash = new Map();
  let size = 0;
  let last = null;
  const same = (hit, b, s, e) => {
    if (hit.bytes.length !== e - s) return false;
    for (let i = 0; i < e - s; i++) if (hit.bytes[i] !== b[s + i]) return false;
    return true;
  };
  return (b, s, e) => {
    if (last && same(last, b, s, e)) return last.id;
    const h = hashBytes(b, s, e);
    const list = byHash.get(h);
    const found = list?.find((hit) => same(hit, b, s, e));
    if (found) { last = found; return found.id; }
    let id;
    try { id = make(JSON.parse(utf8.decode(b.subarray(s, e)))); } catch { id = 0; }
    if (size < MAX_CACHED) {
      size++;
      const hit = { bytes: b.slice(s, e), id };
      if (list) list.push(hit); else byHash.set(h, [hit]);
      last = hit;
    }
    return id;
  };
}
