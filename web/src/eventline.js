// The analyzer's event lines read from bytes straight into the event store.
//
// The analyzer writes one event per line (analyzer/TIMELINE.md). Parsing
// each line with JSON.parse makes an object, its arrays and strings, only for
// the store to take them apart again: for a million segments that is most of
// the load time and a lot of garbage. This reader walks the bytes of a line
// once and fills a record of column values (eventstore.js pushRecord): numbers
// are read digit by digit, the arrays that repeat (flags, analysis, option
// lists) and short names (dir, phase, note_id) are looked up by their bytes,
// the payload's bytes are copied into the store's text pool undecoded.
//
// It knows the members the analyzer writes, with the types it writes them.
// A line with anything else (an unknown member, a number where an integer
// goes, a pretty-printed event) is refused, untouched, and goes the general
// way (JSON.parse and push): the store holds the same either way, which a
// unit test checks on every test capture and on odd lines.

import {
  RECORD, INT_FIELDS, FLOAT_FIELDS, newRecord, resetRecord, isStringArray, isOptionList,
} from './eventstore.js';
import { nameTable, byteCache } from './bytenames.js';

const { I_NULL, F_NULL, O_PRESENT, O_MSS, O_WS, O_SACK_PERM, O_SACK_PERM_TRUE, O_TS, O_LIST, O_SACK, MAX_SACK_BLOCKS } = RECORD;

const KEYS = [...INT_FIELDS, ...FLOAT_FIELDS, 'dir', 'flags', 'analysis', 'options', 'dup_ack',
  'payload', 'phase', 'states', 'note_id', 'note_args', 'note', 'truncated', 'malformed'];
const INT_KEYS = INT_FIELDS.length;                      // KEYS[0..INT_KEYS): record.ints
const FLOAT_KEYS = INT_FIELDS.length + FLOAT_FIELDS.length; // then record.floats
const OPTION_KEYS = ['mss', 'ws', 'sack_perm', 'ts', 'list', 'sack'];

// 10^0 .. 10^22: every one exact as a double.
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

// The bytes that may follow a backslash in a JSON string (u: four hex digits).
const ESCAPES = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPES[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

const utf8 = new TextDecoder('utf-8');

const keyIndex = nameTable(KEYS);
const optionIndex = nameTable(OPTION_KEYS);

const isInt = (v) => Number.isInteger(v) && v > I_NULL && v <= 2147483647;

// The line being read, and where: module state, as one line is read at a
// time from start to end without a pause (nothing here awaits).
let b = null;
let p = 0;
let end = 0;
let strStart = 0;
let strEnd = 0;
let strPlain = true;
// The reader whose line is being read: its record and its caches.
let r = null;
let current = null;

function ws() {
  while (p < end && (b[p] === 0x20 || b[p] === 0x09 || b[p] === 0x0d)) p++;
}

// A JSON number at p, or NaN. Up to 15 digits and a power of ten up to 22
// are computed exactly (one correctly rounded multiplication or division,
// the same double JSON.parse gives); anything longer goes through Number().
function number() {
  const start = p;
  let negative = false;
  if (b[p] === 0x2d) { negative = true; p++; }
  let m = 0;
  let digits = 0;
  let fraction = 0;
  if (b[p] === 0x30) { p++; digits = 1; } else {
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39) { m = m * 10 + (b[p++] - 0x30); digits++; }
    if (digits === 0) return NaN;
  }
  if (b[p] === 0x2e) {
    p++;
    const f0 = p;
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39) { m = m * 10 + (b[p++] - 0x30); digits++; }
    fraction = p - f0;
    if (fraction === 0) return NaN;
  }
  let exp = 0;
  if (b[p] === 0x65 || b[p] === 0x45) {
    p++;
    let expNegative = false;
    if (b[p] === 0x2b || b[p] === 0x2d) expNegative = b[p++] === 0x2d;
    const e0 = p;
    while (p < end && b[p] >= 0x30 && b[p] <= 0x39 && p - e0 < 6) exp = exp * 10 + (b[p++] - 0x30);
    if (p === e0 || (b[p] >= 0x30 && b[p] <= 0x39)) return NaN;
    if (expNegative) exp = -exp;
  }
  const scale = exp - fraction;
  let v;
  if (digits <= 15 && scale >= -22 && scale <= 22) v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
  else v = Number(String.fromCharCode.apply(null, b.subarray(negative ? start + 1 : start, p)));
  return negative ? -v : v;
}

// A string at p: sets strStart/strEnd (inside the quotes) and strPlain.
function string() {
  if (b[p] !== 0x22) return false;
  strStart = ++p;
  strPlain = true;
  while (p < end) {
    const c = b[p];
    if (c === 0x22) { strEnd = p++; return true; }
    if (c < 0x20) return false;
    if (c === 0x5c) {
      strPlain = false;
      const x = b[p + 1];
      if (x === 0x75) {
        for (let k = 2; k < 6; k++) if (!HEX[b[p + k]]) return false;
        p += 6;
      } else if (ESCAPES[x]) p += 2;
      else return false;
      continue;
    }
    if (c >= 0x80) strPlain = false;
    p++;
  }
  return false;
}

const literal = (word) => {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return false;
  p += word.length;
  return true;
};

// Any JSON value at p, skipped over (for values read whole by JSON.parse).
function skip() {
  if (b[p] === 0x22) return string();
  if (b[p] !== 0x7b && b[p] !== 0x5b) {
    while (p < end && b[p] !== 0x2c && b[p] !== 0x7d && b[p] !== 0x5d && b[p] > 0x20) p++;
    return true;
  }
  let depth = 0;
  while (p < end) {
    const c = b[p];
    if (c === 0x22) { if (!string()) return false; continue; }
    p++;
    if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return true;
  }
  return false;
}

/** A value read whole with JSON.parse (rare members); undefined when it is not JSON. */
function parsed() {
  const s = p;
  if (!skip()) return undefined;
  try { return JSON.parse(utf8.decode(b.subarray(s, p))); } catch { return undefined; }
}

/** Up to `max` numbers in [ ]: how many, into out[0..]; -1 when not so. */
function numbers(out, max) {
  if (b[p] !== 0x5b) return -1;
  p++;
  ws();
  let n = 0;
  if (b[p] === 0x5d) { p++; return 0; }
  for (;;) {
    if (n === max) return -1;
    const v = number();
    if (!Number.isFinite(v)) return -1;
    out[n++] = v;
    ws();
    if (b[p] === 0x5d) { p++; return n; }
    if (b[p] !== 0x2c) return -1;
    p++;
    ws();
  }
}

const pair = new Float64Array(2);

/** options.sack: [[left, right], ...] into r.sack. */
function sackBlocks() {
  if (b[p] !== 0x5b) return false;
  p++;
  ws();
  r.optBits |= O_SACK;
  r.sackCount = 0;
  if (b[p] === 0x5d) { p++; return true; }
  for (;;) {
    if (r.sackCount === MAX_SACK_BLOCKS || numbers(pair, 2) !== 2) return false;
    r.sack[2 * r.sackCount] = pair[0];
    r.sack[2 * r.sackCount + 1] = pair[1];
    r.sackCount++;
    ws();
    if (b[p] === 0x5d) { p++; return true; }
    if (b[p] !== 0x2c) return false;
    p++;
    ws();
  }
}
function option(k) {
  if (k === 0 || k === 1) {
    const v = number();
    if (!isInt(v)) return false;
    if (k === 0) { r.optBits |= O_MSS; r.optMss = v; } else { r.optBits |= O_WS; r.optWs = v; }
  } else if (k === 2) {
    if (literal('true')) r.optBits |= O_SACK_PERM | O_SACK_PERM_TRUE;
    else if (literal('false')) r.optBits |= O_SACK_PERM;
    else return false;
  } else if (k === 3) {
    if (numbers(pair, 2) !== 2) return false;
    r.optBits |= O_TS;
    r.ts0 = pair[0];
    r.ts1 = pair[1];
  } else if (k === 5) {
    return sackBlocks();
  } else {
    const s = p;
    if (b[p] !== 0x5b || !skip()) return false;
    r.optList = current.listId(b, s, p);
    if (r.optList === 0) return false;
    r.optBits |= O_LIST;
  }
  return true;
}

/** The members of an object at p, each handed to member(keyIndex); false when not so. */
function members(index, member) {
  if (b[p] !== 0x7b) return false;
  p++;
  ws();
  if (b[p] === 0x7d) { p++; return true; }
  let k = -1;
  for (;;) {
    if (!string() || strPlain === false) return false;
    k = index(b, strStart, strEnd, k);
    ws();
    if (k < 0 || b[p] !== 0x3a) return false;
    p++;
    ws();
    if (!member(k)) return false;
    ws();
    if (b[p] === 0x7d) { p++; return true; }
    if (b[p] !== 0x2c) return false;
    p++;
    ws();
  }
}

function nameId(cache) {
  const s = p;
  if (!string()) return 0;
  return cache(b, s, p);
}

function member(k) {
  if (k < FLOAT_KEYS) {
    if (b[p] === 0x6e) {
      if (!literal('null')) return false;
      if (k < INT_KEYS) r.ints[k] = I_NULL; else r.floats[k - INT_KEYS] = F_NULL;
      return true;
    }
    const v = number();
    if (k < INT_KEYS) {
      if (!isInt(v)) return false;
      r.ints[k] = v;
    } else {
      if (!Number.isFinite(v)) return false;
      r.floats[k - INT_KEYS] = v;
    }
    return true;
  }
  switch (KEYS[k]) {
    case 'dir':
      if (!string() || strEnd - strStart !== 3) return false;
      if (b[strStart] === 0x63 && b[strStart + 1] === 0x32 && b[strStart + 2] === 0x73) r.dir = 1;
      else if (b[strStart] === 0x73 && b[strStart + 1] === 0x32 && b[strStart + 2] === 0x63) r.dir = 2;
      else return false;
      return true;
    case 'flags':
    case 'analysis': {
      const s = p;
      if (b[p] !== 0x5b || !skip()) return false;
      const id = current.arrayId(b, s, p);
      if (KEYS[k] === 'flags') r.flags = id; else r.analysis = id;
      return id !== 0;
    }
    case 'options':
      r.optBits = O_PRESENT;
      return members(optionIndex, option);
    case 'dup_ack': {
      const v = parsed();
      if (!v || !isInt(v.num) || !isInt(v.of) || Object.keys(v).length !== 2) return false;
      r.dup0 = v.num;
      r.dup1 = v.of;
      return true;
    }
    case 'payload':
      if (!string()) return false;
      r.payStart = strStart; r.payEnd = strEnd; r.payPlain = strPlain; r.payload = 0;
      return true;
    case 'phase': return (r.phase = nameId(current.phaseId)) !== 0;
    case 'note_id': return (r.noteId = nameId(current.noteId)) !== 0;
    case 'note': r.hasNote = true; return string();
    case 'states': {
      const v = parsed();
      r.states = v;
      return Array.isArray(v);
    }
    case 'note_args':
      r.argCount = numbers(r.args, 3);
      return r.argCount >= 0;
    default: {
      // truncated (bits 0-1), malformed (bits 2-3): 1 false, 2 true
      const shift = KEYS[k] === 'truncated' ? 0 : 2;
      if (literal('true')) r.bools |= 2 << shift;
      else if (literal('false')) r.bools |= 1 << shift;
      else return false;
      return true;
    }
  }
}

/** A reader of event lines into `store`; line(bytes, start, end) is true when the line was taken. */
export function createLineReader(store) {
  const reader = {
    store,
    record: newRecord(),
    arrayId: byteCache((v) => (isStringArray(v) ? store.intern.array(v) : 0)),
    phaseId: byteCache((v) => (typeof v === 'string' ? store.intern.phase(v) : 0)),
    noteId: byteCache((v) => (typeof v === 'string' ? store.intern.noteId(v) : 0)),
    listId: byteCache((v) => (isOptionList(v) ? store.intern.optionList(v) : 0)),
    /** Whether the line ended with a comma (another event follows). */
    comma: false,
    line(bytes, start, stop) {
      current = reader;
      r = reader.record;
      b = bytes;
      p = start;
      end = stop;
      const taken = readLine();
      b = null;
      return taken;
    },
  };
  return reader;
}

/** The line b[p..end) into the current reader's store; false (the store untouched) when it is not one. */
function readLine() {
  resetRecord(r);
  ws();
  if (!members(keyIndex, member)) return false;
  ws();
  current.comma = b[p] === 0x2c;
  if (current.comma) { p++; ws(); }
  if (p < end && b[p] !== 0x0a) return false;
  const { store } = current;
  // A note is dropped only when notes.js can render it again (as push does).
  if (r.hasNote && !store.knownNote(r.noteId)) return false;
  if (r.payload === 0) r.payload = store.pool.addBytes(b, r.payStart, r.payEnd, r.payPlain);
  store.pushRecord(r);
  return true;
}
