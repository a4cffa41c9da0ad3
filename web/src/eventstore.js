// The events of a timeline kept compactly: one typed column per field
// instead of one object per segment. A million segments as objects hold about
// a gigabyte of heap (options, flags and notes repeated in every one); as
// columns they take under 200 bytes each. Arrays that repeat (flags,
// analysis tags, option lists) are kept once and referred to by number; the
// note sentence is not kept (notes.js renders it from note_id and
// note_args); rare or unexpected members are kept as they came, per event.
//
// get(i) gives the event back as the object the timeline held (a unit test
// checks this on every test capture); the accessors (t, conn, flags, ...)
// read one field without building the object, for the loops over all rows.
// asEvents(array) gives plain arrays of objects the same interface.
//
// Two ways in: push(event object), and pushRecord(record) for eventline.js,
// which reads the analyzer's event lines from bytes straight into a record
// of column values (ids from the store's interners, the payload's bytes in
// the text pool) without making an object per event.

import { NOTE_TEMPLATES, renderNote } from './notes.js';
import { createTextPool } from './textpool.js';

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

// Int32 columns: two values set aside for a member that is absent or null.
const I_ABSENT = -2147483648;
const I_NULL = -2147483647;
// Float64 columns: JSON has no infinities, so they can mean absent and null.
const F_ABSENT = -Infinity;
const F_NULL = Infinity;

/**
 * A column of `Type` in chunks of 65,536 (growing never copies); every
 * column of a store gets its next chunk at once (grow), before row i needs it.
 */
function column(Type, fill = 0) {
  const chunks = [];
  return {
    get: (i) => chunks[i >>> CHUNK_BITS][i & MASK],
    set: (i, v) => { chunks[i >>> CHUNK_BITS][i & MASK] = v; },
    chunk: (c) => chunks[c],
    grow: () => chunks.push(fill === 0 ? new Type(CHUNK) : new Type(CHUNK).fill(fill)),
    bytes: () => chunks.length * CHUNK * Type.BYTES_PER_ELEMENT,
  };
}

/** Values kept once each, referred to by number (0: absent). */
function interner(keyOf = (v) => v) {
  const values = [undefined];
  const ids = new Map();
  return {
    id(v) {
      const key = keyOf(v);
      let id = ids.get(key);
      if (id === undefined) {
        id = values.length;
        ids.set(key, id);
        values.push(v);
      }
      return id;
    },
    value: (id) => values[id],
    get size() { return values.length; },
  };
}

export const INT_FIELDS = ['frame', 'conn', 'len', 'win', 'win_raw', 'win_scale', 'in_flight', 'acks_frame'];
export const FLOAT_FIELDS = ['t', 'seq', 'ack', 'seq_raw', 'ack_raw', 'ack_rtt'];
const isInt = (v) => Number.isInteger(v) && v > I_NULL && v <= 2147483647;
export const isStringArray = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const listKey = (list) => list.map((o) => `${o.kind}/${o.len}/${o.valid}`).join(',');
export const isOptionList = (v) => Array.isArray(v) && v.every((o) => o && typeof o === 'object' && !Array.isArray(o)
  && Number.isFinite(o.kind) && Number.isFinite(o.len) && Object.keys(o).length === (o.valid === undefined ? 2 : 3)
  && (o.valid === undefined || typeof o.valid === 'boolean'));
const KNOWN_OPTION_KEYS = new Set(['mss', 'ws', 'sack_perm', 'sack', 'ts', 'list']);
const MAX_SACK_BLOCKS = 16;
const isSackList = (v) => Array.isArray(v) && v.length <= MAX_SACK_BLOCKS
  && v.every((x) => Array.isArray(x) && x.length === 2 && Number.isFinite(x[0]) && Number.isFinite(x[1]));

// Option bits: which members the options object had.
const O_PRESENT = 1;
const O_MSS = 2;
const O_WS = 4;
const O_SACK_PERM = 8;
const O_SACK_PERM_TRUE = 16;
const O_TS = 32;
const O_LIST = 64;
const O_SACK = 128;

/** Options that fit the columns: the known members with their usual types. */
function packableOptions(o) {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return false;
  for (const k in o) {
    if (!KNOWN_OPTION_KEYS.has(k)) return false;
  }
  if (o.mss !== undefined && !isInt(o.mss)) return false;
  if (o.ws !== undefined && !isInt(o.ws)) return false;
  if (o.sack_perm !== undefined && typeof o.sack_perm !== 'boolean') return false;
  if (o.ts !== undefined && !(Array.isArray(o.ts) && o.ts.length === 2 && o.ts.every(Number.isFinite))) return false;
  if (o.list !== undefined && !isOptionList(o.list)) return false;
  if (o.sack !== undefined && !isSackList(o.sack)) return false;
  return true;
}

export function createEventStore() {
  let length = 0;
  const ints = Object.fromEntries(INT_FIELDS.map((f) => [f, column(Int32Array, I_ABSENT)]));
  const floats = Object.fromEntries(FLOAT_FIELDS.map((f) => [f, column(Float64Array, F_ABSENT)]));
  const dir = column(Uint8Array);           // 0 absent, 1 c2s, 2 s2c
  const phase = column(Uint8Array);
  const noteId = column(Uint8Array);
  const flags = column(Uint16Array);
  const analysis = column(Uint16Array);
  const argCount = column(Uint8Array);      // note_args: 0..3 numbers, 255 absent
  const args = [column(Float64Array), column(Float64Array), column(Float64Array)];
  const optBits = column(Uint8Array);
  const optMss = column(Int32Array);
  const optWs = column(Int32Array);
  const optTs = [column(Float64Array), column(Float64Array)];
  const optList = column(Uint16Array);
  const dupAck = [column(Int32Array, I_ABSENT), column(Int32Array, I_ABSENT)];
  const sackAt = column(Int32Array);        // where its SACK blocks start in sackNumbers
  let sackNumbers = new Float64Array(4096); // per list: the count of blocks, then left, right, ...
  let sackUsed = 0;
  const bools = column(Uint8Array);         // truncated: bits 0-1, malformed: bits 2-3 (1 false, 2 true)
  const payload = column(Int32Array, I_ABSENT);   // a number in the text pool
  const pool = createTextPool();
  const phases = interner();
  const noteIds = interner();
  const arrays = interner((a) => a.join('\u0000'));
  const lists = interner(listKey);
  const columns = [...Object.values(ints), ...Object.values(floats), dir, phase, noteId, flags, analysis, argCount,
    ...args, optBits, optMss, optWs, ...optTs, optList, ...dupAck, bools, payload, sackAt];
  const intColumns = INT_FIELDS.map((f) => ints[f]);
  const floatColumns = FLOAT_FIELDS.map((f) => floats[f]);
  const states = new Map();                 // index → states array (a few events have them)
  const extra = new Map();                  // index → { member: value } that fit no column

  function keep(i, key, value) {
    let x = extra.get(i);
    if (!x) extra.set(i, (x = {}));
    x[key] = value;
  }

  /** Keeps n SACK blocks from pairs[0..2n); returns where. */
  function addSack(pairs, n) {
    if (sackUsed + 1 + 2 * n > sackNumbers.length) {
      const grown = new Float64Array(sackNumbers.length * 2);
      grown.set(sackNumbers);
      sackNumbers = grown;
    }
    const at = sackUsed;
    sackNumbers[at] = n;
    for (let k = 0; k < 2 * n; k++) sackNumbers[at + 1 + k] = pairs[k];
    sackUsed += 1 + 2 * n;
    return at;
  }

  function packOptions(i, o) {
    let bits = O_PRESENT;
    if (o.mss !== undefined) { bits |= O_MSS; optMss.set(i, o.mss); }
    if (o.ws !== undefined) { bits |= O_WS; optWs.set(i, o.ws); }
    if (o.sack_perm !== undefined) bits |= O_SACK_PERM | (o.sack_perm ? O_SACK_PERM_TRUE : 0);
    if (o.ts !== undefined) { bits |= O_TS; optTs[0].set(i, o.ts[0]); optTs[1].set(i, o.ts[1]); }
    if (o.list !== undefined) { bits |= O_LIST; optList.set(i, lists.id(o.list)); }
    if (o.sack !== undefined) { bits |= O_SACK; sackAt.set(i, addSack(o.sack.flat(), o.sack.length)); }
    optBits.set(i, bits);
  }

  /** Packs one event; members that fit no column are kept as they are. */
  function push(e) {
    const i = length++;
    if ((i & MASK) === 0) for (const c of columns) c.grow();
    argCount.set(i, 255);
    for (const key in e) {
      const v = e[key];
      if (Object.hasOwn(ints, key)) {
        if (v === null) ints[key].set(i, I_NULL);
        else if (isInt(v)) ints[key].set(i, v);
        else keep(i, key, v);
      } else if (Object.hasOwn(floats, key)) {
        if (v === null) floats[key].set(i, F_NULL);
        else if (Number.isFinite(v)) floats[key].set(i, v);
        else keep(i, key, v);
      } else if (key === 'dir' && (v === 'c2s' || v === 's2c')) dir.set(i, v === 'c2s' ? 1 : 2);
      else if (key === 'phase' && typeof v === 'string' && phases.size < 255) phase.set(i, phases.id(v));
      else if (key === 'note_id' && typeof v === 'string' && noteIds.size < 255) noteId.set(i, noteIds.id(v));
      else if ((key === 'flags' || key === 'analysis') && isStringArray(v) && arrays.size < 65535) {
        (key === 'flags' ? flags : analysis).set(i, arrays.id(v));
      } else if (key === 'note_args' && Array.isArray(v) && v.length <= 3 && v.every(Number.isFinite)) {
        argCount.set(i, v.length);
        for (let k = 0; k < v.length; k++) args[k].set(i, v[k]);
      } else if (key === 'payload' && typeof v === 'string') payload.set(i, pool.addString(v));
      else if (key === 'options' && packableOptions(v) && lists.size < 65535) packOptions(i, v);
      else if (key === 'dup_ack' && v && isInt(v.num) && isInt(v.of) && Object.keys(v).length === 2) {
        dupAck[0].set(i, v.num);
        dupAck[1].set(i, v.of);
      } else if ((key === 'truncated' || key === 'malformed') && typeof v === 'boolean') {
        const shift = key === 'truncated' ? 0 : 2;
        bools.set(i, bools.get(i) | ((v ? 2 : 1) << shift));
      } else if (key === 'states' && Array.isArray(v)) states.set(i, v);
      else if (key === 'note' && typeof e.note_id === 'string' && Object.hasOwn(NOTE_TEMPLATES.en, e.note_id)) {
        // Rendered again from note_id and note_args when asked for.
      } else keep(i, key, v);
    }
    return i;
  }

  /** Appends a record (see newRecord) of column values; returns the index. */
  function pushRecord(r) {
    const i = length++;
    if ((i & MASK) === 0) for (const c of columns) c.grow();
    // Each typed array written at its own line (the column's set() is one
    // function for every type, which the engine then cannot specialise).
    const c = i >>> CHUNK_BITS;
    const k = i & MASK;
    for (let f = 0; f < intColumns.length; f++) intColumns[f].chunk(c)[k] = r.ints[f];
    for (let f = 0; f < floatColumns.length; f++) floatColumns[f].chunk(c)[k] = r.floats[f];
    dir.chunk(c)[k] = r.dir;
    phase.chunk(c)[k] = r.phase;
    noteId.chunk(c)[k] = r.noteId;
    flags.chunk(c)[k] = r.flags;
    analysis.chunk(c)[k] = r.analysis;
    argCount.chunk(c)[k] = r.argCount;
    for (let a = 0; a < 3; a++) args[a].chunk(c)[k] = r.args[a];
    if (r.optBits) {
      optBits.chunk(c)[k] = r.optBits;
      optMss.chunk(c)[k] = r.optMss;
      optWs.chunk(c)[k] = r.optWs;
      optTs[0].chunk(c)[k] = r.ts0;
      optTs[1].chunk(c)[k] = r.ts1;
      optList.chunk(c)[k] = r.optList;
      if (r.optBits & O_SACK) sackAt.chunk(c)[k] = addSack(r.sack, r.sackCount);
    }
    dupAck[0].chunk(c)[k] = r.dup0;
    dupAck[1].chunk(c)[k] = r.dup1;
    bools.chunk(c)[k] = r.bools;
    payload.chunk(c)[k] = r.payload;
    if (r.states !== undefined) states.set(i, r.states);
    return i;
  }

  const intOf = (f, i) => {
    const v = ints[f].get(i);
    return v === I_ABSENT ? undefined : v === I_NULL ? null : v;
  };
  const floatOf = (f, i) => {
    const v = floats[f].get(i);
    return v === F_ABSENT ? undefined : v === F_NULL ? null : v;
  };

  function optionsOf(i) {
    const bits = optBits.get(i);
    if (!(bits & O_PRESENT)) return undefined;
    const o = {};
    if (bits & O_MSS) o.mss = optMss.get(i);
    if (bits & O_WS) o.ws = optWs.get(i);
    if (bits & O_SACK_PERM) o.sack_perm = Boolean(bits & O_SACK_PERM_TRUE);
    if (bits & O_TS) o.ts = [optTs[0].get(i), optTs[1].get(i)];
    if (bits & O_LIST) o.list = lists.value(optList.get(i)).map((x) => ({ ...x }));
    if (bits & O_SACK) {
      const at = sackAt.get(i);
      o.sack = Array.from({ length: sackNumbers[at] }, (_, k) => [sackNumbers[at + 1 + 2 * k], sackNumbers[at + 2 + 2 * k]]);
    }
    return o;
  }

  /** Event i as an object, the way the timeline wrote it. */
  function get(i) {
    if (!(i >= 0 && i < length)) return undefined;
    const e = {};
    const put = (k, v) => { if (v !== undefined) e[k] = v; };
    put('frame', intOf('frame', i));
    put('t', floatOf('t', i));
    put('conn', intOf('conn', i));
    const d = dir.get(i);
    if (d) e.dir = d === 1 ? 'c2s' : 's2c';
    const f = flags.get(i);
    if (f) e.flags = arrays.value(f).slice();
    for (const k of ['seq', 'ack', 'seq_raw', 'ack_raw']) put(k, floatOf(k, i));
    for (const k of ['len', 'win', 'win_raw', 'win_scale']) put(k, intOf(k, i));
    put('options', optionsOf(i));
    const a = analysis.get(i);
    if (a) e.analysis = arrays.value(a).slice();
    put('in_flight', intOf('in_flight', i));
    put('acks_frame', intOf('acks_frame', i));
    put('ack_rtt', floatOf('ack_rtt', i));
    if (dupAck[0].get(i) !== I_ABSENT) e.dup_ack = { num: dupAck[0].get(i), of: dupAck[1].get(i) };
    if (payload.get(i) !== I_ABSENT) e.payload = pool.get(payload.get(i));
    const p = phase.get(i);
    if (p) e.phase = phases.value(p);
    if (states.has(i)) e.states = states.get(i);
    const b = bools.get(i);
    if (b & 3) e.truncated = (b & 3) === 2;
    if (b & 12) e.malformed = (b & 12) === 8;
    const n = noteId.get(i);
    if (n) e.note_id = noteIds.value(n);
    const ac = argCount.get(i);
    if (ac !== 255) e.note_args = args.slice(0, ac).map((c) => c.get(i));
    const x = extra.get(i);
    if (x) Object.assign(e, x);
    if (n && e.note === undefined && Object.hasOwn(NOTE_TEMPLATES.en, e.note_id)) e.note = renderNote(e, 'en');
    return e;
  }

  const emptyList = Object.freeze([]);
  return {
    get length() { return length; },
    push,
    get,
    t: (i) => floatOf('t', i),
    frame: (i) => intOf('frame', i),
    conn: (i) => intOf('conn', i),
    len: (i) => intOf('len', i),
    ackRtt: (i) => floatOf('ack_rtt', i),
    dir: (i) => (dir.get(i) === 1 ? 'c2s' : dir.get(i) === 2 ? 's2c' : extra.get(i)?.dir),
    seq: (i) => floatOf('seq', i),
    ack: (i) => floatOf('ack', i),
    win: (i) => intOf('win', i),
    inFlight: (i) => intOf('in_flight', i),
    /** The flags and analysis arrays are shared between events: read them, do not change them. */
    flags: (i) => (flags.get(i) ? arrays.value(flags.get(i)) : (extra.get(i)?.flags ?? undefined)),
    analysis: (i) => (analysis.get(i) ? arrays.value(analysis.get(i)) : (extra.get(i)?.analysis ?? emptyList)),
    states: (i) => states.get(i) ?? extra.get(i)?.states,
    phase: (i) => (phase.get(i) ? phases.value(phase.get(i)) : extra.get(i)?.phase),
    payload: (i) => (payload.get(i) !== I_ABSENT ? pool.get(payload.get(i)) : extra.get(i)?.payload),
    /** Bytes held by the columns (the payload text and SACK blocks: textBytes). */
    columnBytes() {
      return columns.reduce((n, c) => n + c.bytes(), 0);
    },
    textBytes: () => pool.bytes() + sackNumbers.byteLength,
    pushRecord,
    pool,
    /** Ids for pushRecord (0 when the interner is full: the event then goes through push). */
    intern: {
      array: (v) => (arrays.size < 65535 ? arrays.id(v) : 0),
      phase: (v) => (phases.size < 255 ? phases.id(v) : 0),
      noteId: (v) => (noteIds.size < 255 ? noteIds.id(v) : 0),
      optionList: (v) => (lists.size < 65535 ? lists.id(v) : 0),
    },
    /** Whether note_id number `id` has a template (its note is then rendered, not kept). */
    knownNote: (id) => id > 0 && Object.hasOwn(NOTE_TEMPLATES.en, noteIds.value(id)),
  };
}

/** A record for pushRecord, every member absent (resetRecord makes it so again). */
export function newRecord() {
  return resetRecord({
    ints: new Int32Array(INT_FIELDS.length), floats: new Float64Array(FLOAT_FIELDS.length),
    args: new Float64Array(3), sack: new Float64Array(2 * MAX_SACK_BLOCKS),
  });
}

export function resetRecord(r) {
  r.ints.fill(I_ABSENT);     // INT_FIELDS, in that order
  r.floats.fill(F_ABSENT);   // FLOAT_FIELDS
  r.dir = 0; r.phase = 0; r.noteId = 0; r.flags = 0; r.analysis = 0;
  r.argCount = 255; r.args.fill(0);
  r.sackCount = 0; r.optBits = 0; r.optMss = 0; r.optWs = 0; r.ts0 = 0; r.ts1 = 0; r.optList = 0;
  r.dup0 = I_ABSENT; r.dup1 = I_ABSENT; r.bools = 0; r.payload = I_ABSENT; r.states = undefined;
  r.hasNote = false; r.payStart = 0; r.payEnd = 0; r.payPlain = false;
  return r;
}

/** The values a record holds for absent and null members, and the option bits. */
export const RECORD = Object.freeze({
  I_ABSENT, I_NULL, F_ABSENT, F_NULL, O_PRESENT, O_MSS, O_WS, O_SACK_PERM, O_SACK_PERM_TRUE, O_TS, O_LIST, O_SACK,
  MAX_SACK_BLOCKS,
});

/** The same interface over an array of event objects (tests, small timelines). */
export function asEvents(array) {
  if (!Array.isArray(array)) return array;
  const at = (i) => array[i] ?? {};
  return {
    get length() { return array.length; },
    push: (e) => array.push(e) - 1,
    get: (i) => array[i],
    t: (i) => at(i).t,
    frame: (i) => at(i).frame,
    conn: (i) => at(i).conn,
    len: (i) => at(i).len,
    ackRtt: (i) => at(i).ack_rtt,
    dir: (i) => at(i).dir,
    seq: (i) => at(i).seq,
    ack: (i) => at(i).ack,
    win: (i) => at(i).win,
    inFlight: (i) => at(i).in_flight,
    flags: (i) => at(i).flags,
    analysis: (i) => at(i).analysis,
    states: (i) => at(i).states,
    phase: (i) => at(i).phase,
    payload: (i) => at(i).payload,
  };
}
