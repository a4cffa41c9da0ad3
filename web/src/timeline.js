// Reading a timeline: a streaming parser that hands out events while the JSON
// is still arriving (a 200,000-segment timeline is ~120 MB; parsing it in one
// JSON.parse would keep the page blank for seconds), and the checks that make
// a wrong file a clear message instead of a blank page.
//
// The top level must be an object. Its members are parsed one by one; the
// members of "events" are parsed one element at a time and passed on in
// batches. Key order carries no meaning, so events that come before "format"
// and "version" are held back until both have been seen and checked.

export const TIMELINE_FORMAT = 'tcpviz-timeline';
export const TIMELINE_VERSION = 1;

/** A timeline that cannot be shown; `code` picks the message shown on the page. */
export class TimelineError extends Error {
  constructor(code, detail = '') {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'TimelineError';
    this.code = code;       // not_json | not_timeline | bad_version | fetch | capture_file
    this.detail = detail;
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d, 0xfeff]);

/**
 * A push parser. handlers: onEvents(array), onMember(key, value) for every
 * other top-level member, onEnd(). write(text) may throw TimelineError.
 * Events are handed out in batches of batchSize, the first one of
 * firstBatchSize, and at the end of every write().
 */
export function createTimelineParser(handlers = {}, { batchSize = 2000, firstBatchSize = 64 } = {}) {
  let buf = '';
  let pos = 0;
  let consumed = 0;        // characters dropped from the front of buf
  let state = 'start';
  let key = null;
  let scan = null;         // an unfinished value: { start, i, depth, inStr }
  let batch = [];
  const held = [];
  let format;
  let version;
  let headerOk = false;
  let sawEvents = false;
  let eventCount = 0;

  const fail = (code, detail) => { throw new TimelineError(code, detail); };
  const where = () => `at character ${consumed + pos}`;

  function flush() {
    if (batch.length === 0) return;
    if (headerOk) handlers.onEvents?.(batch);
    else held.push(batch);
    batch = [];
  }

  function checkHeader(final) {
    if (format !== undefined && format !== TIMELINE_FORMAT) fail('not_timeline', `format is ${JSON.stringify(format)}`);
    if (version !== undefined && version !== TIMELINE_VERSION) fail('bad_version', `version is ${JSON.stringify(version)}`);
    if (final) {
      if (format === undefined) fail('not_timeline', 'no "format" member');
      if (version === undefined) fail('bad_version', 'no "version" member');
      if (!sawEvents) fail('not_timeline', 'no "events" array');
    }
    if (!headerOk && format !== undefined && version !== undefined) {
      headerOk = true;
      for (const b of held.splice(0)) handlers.onEvents?.(b);
    }
  }

  function skipWs() {
    const n = buf.length;
    for (;;) {
      if (pos >= n) return false;
      const c = buf.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return true;
      pos++;
    }
  }

  // Advances scan over one JSON value; true when its end is found.
  function scanValue(final) {
    const s = scan;
    let i = s.i;
    const n = buf.length;
    if (s.depth === 0 && !s.inStr) {
      const c = buf.charCodeAt(s.start);
      if (c !== 0x7b && c !== 0x5b && c !== 0x22) {
        // number, true, false, null: up to the next delimiter
        while (i < n) {
          const d = buf.charCodeAt(i);
          if (d === 0x2c || d === 0x7d || d === 0x5d || WS.has(d)) { s.end = i; return true; }
          i++;
        }
        s.i = i;
        if (final) { s.end = i; return true; }
        return false;
      }
    }
    while (i < n) {
      if (s.inStr) {
        const q = buf.indexOf('"', i);
        if (q < 0) { s.i = n; return false; }
        let k = q - 1;
        let backslashes = 0;
        while (k > s.start && buf.charCodeAt(k) === 0x5c) { backslashes++; k--; }
        i = q + 1;
        if (backslashes % 2 === 1) continue;
        s.inStr = false;
        if (s.depth === 0) { s.end = i; return true; }
        continue;
      }
      const c = buf.charCodeAt(i++);
      if (c === 0x22) s.inStr = true;
      else if (c === 0x7b || c === 0x5b) s.depth++;
      else if (c === 0x7d || c === 0x5d) {
        s.depth--;
        if (s.depth === 0) { s.end = i; return true; }
        if (s.depth < 0) fail('not_json', `unbalanced brackets ${where()}`);
      }
    }
    s.i = n;
    return false;
  }

  // Parses the value at pos if it is complete; undefined when more text is needed.
  function takeValue(final) {
    if (!scan) scan = { start: pos, i: pos, depth: 0, inStr: false };
    if (!scanValue(final)) return undefined;
    const text = buf.slice(scan.start, scan.end);
    pos = scan.end;
    scan = null;
    try {
      return { value: JSON.parse(text) };
    } catch (err) {
      fail('not_json', `${err.message} ${where()}`);
    }
    return undefined;
  }

  // The analyzer writes one event per line. When the rest of the line (less
  // a trailing comma) parses as JSON, it is exactly the value that starts at
  // pos, found by the engine's JSON.parse instead of a character loop in
  // script: several times faster on a million events. Anything else (a
  // pretty-printed file, two events on a line, an event cut by the end of the
  // buffer) goes the general way.
  function lineValue() {
    const nl = buf.indexOf('\n', pos);
    if (nl < 0) return null;
    let end = nl;
    while (end > pos && WS.has(buf.charCodeAt(end - 1))) end--;
    if (buf.charCodeAt(end - 1) === 0x2c) end--;
    if (buf.charCodeAt(end - 1) !== 0x7d) return null;
    let value;
    try {
      value = JSON.parse(buf.slice(pos, end));
    } catch {
      return null;
    }
    pos = end;
    return { value };
  }

  function run(final) {
    for (;;) {
      if (state === 'done') {
        if (skipWs()) fail('not_json', `unexpected text after the timeline ${where()}`);
        return;
      }
      if (!skipWs()) return;
      const c = buf.charCodeAt(pos);
      switch (state) {
        case 'start':
          if (c !== 0x7b) fail(c === 0x5b ? 'not_timeline' : 'not_json', `expected "{" ${where()}`);
          pos++;
          state = 'first_key';
          break;
        case 'first_key':
        case 'key': {
          if (c === 0x7d && state === 'first_key') { pos++; state = 'done'; break; }
          if (c !== 0x22) fail('not_json', `expected a member name ${where()}`);
          const v = takeValue(final);
          if (v === undefined) return;
          key = v.value;
          state = 'colon';
          break;
        }
        case 'colon':
          if (c !== 0x3a) fail('not_json', `expected ":" ${where()}`);
          pos++;
          state = 'value';
          break;
        case 'value':
          if (key === 'events' && c === 0x5b && !scan) {
            pos++;
            sawEvents = true;
            state = 'first_elem';
            break;
          }
          {
            const v = takeValue(final);
            if (v === undefined) return;
            if (key === 'format') format = v.value;
            else if (key === 'version') version = v.value;
            else if (key === 'events') fail('not_timeline', '"events" is not an array');
            if (key === 'format' || key === 'version') checkHeader(false);
            handlers.onMember?.(key, v.value);
            state = 'after_member';
          }
          break;
        case 'first_elem':
        case 'elem': {
          if (c === 0x5d && state === 'first_elem') { pos++; state = 'after_member'; break; }
          const v = (c === 0x7b && !scan && lineValue()) || takeValue(final);
          if (v === undefined) return;
          const e = v.value;
          if (!e || typeof e !== 'object' || Array.isArray(e)) fail('not_timeline', `event ${eventCount} is not an object`);
          eventCount++;
          batch.push(e);
          // A small first batch: the first screen needs a few dozen rows,
          // and it should not wait for thousands to be parsed.
          if (batch.length >= (eventCount === batch.length ? firstBatchSize : batchSize)) flush();
          state = 'after_elem';
          break;
        }
        case 'after_elem':
          if (c === 0x2c) { pos++; state = 'elem'; break; }
          if (c === 0x5d) { pos++; state = 'after_member'; break; }
          fail('not_json', `expected "," or "]" ${where()}`);
          break;
        case 'after_member':
          if (c === 0x2c) { pos++; state = 'key'; break; }
          if (c === 0x7d) { pos++; state = 'done'; break; }
          fail('not_json', `expected "," or "}" ${where()}`);
          break;
        default:
          fail('not_json', `parser state ${state}`);
      }
    }
  }

  function compact() {
    // Drop what has been read so the buffer holds only the unfinished value.
    const keep = scan ? scan.start : pos;
    if (keep > 65536) {
      buf = buf.slice(keep);
      consumed += keep;
      pos -= keep;
      if (scan) { scan.i -= keep; scan.start = 0; }
    }
  }

  return {
    get eventCount() { return eventCount; },
    /** Parses more text; `hold` keeps the events in the batch (flushBatch hands them out). */
    write(text, hold = false) {
      buf += text;
      run(false);
      if (!hold) flush();
      compact();
    },
    flushBatch: flush,
    /**
     * Whether the next thing to come is an element of "events" (all text
     * given so far consumed): an event line may then be taken elsewhere
     * (eventline.js) and reported with tookElement(comma).
     */
    atElement() {
      if (!headerOk || scan || (state !== 'first_elem' && state !== 'elem') || skipWs()) return false;
      consumed += buf.length;
      buf = '';
      pos = 0;
      return true;
    },
    tookElement(comma) {
      eventCount++;
      state = comma ? 'elem' : 'after_elem';
    },
    end() {
      run(true);
      if (state !== 'done') {
        fail('not_json', consumed + buf.length === 0 ? 'the file is empty' : 'the text ends before the timeline does');
      }
      flush();
      checkHeader(true);
      handlers.onEnd?.();
    },
  };
}

/** Parses a whole timeline from text: { format, version, events, connections, ... }. */
export function parseTimelineText(text) {
  const timeline = { events: [], connections: [] };
  const parser = createTimelineParser({
    onEvents(batch) { for (const e of batch) timeline.events.push(e); },
    onMember(key, value) { if (key !== '__proto__') timeline[key] = value; },
  });
  parser.write(typeof text === 'string' ? text : '');
  parser.end();
  if (!Array.isArray(timeline.connections)) timeline.connections = [];
  return timeline;
}

/** The capture-file formats a user may drop by mistake, by their first bytes. */
export function sniffCapture(bytes) {
  if (!bytes || bytes.length < 4) return null;
  const b = [bytes[0], bytes[1], bytes[2], bytes[3]];
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  if (['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'].includes(hex)) return 'pcap';
  if (hex === '0a0d0d0a') return 'pcapng';
  return null;
}
