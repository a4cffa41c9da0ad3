// Bytes of a timeline into the parsers, a line at a time. The lines of the
// events array that eventline.js can read go straight into the store; all
// other text (the header, the connections, an event it refuses, a file
// written some other way) is decoded and given to the general streaming
// parser of timeline.js, which checks the structure and hands those events
// out as objects. Both keep capture order: the parser's pending events are
// handed out before a line goes to the store.

import { createTimelineParser } from './timeline.js';
import { createLineReader } from './eventline.js';

// A line longer than this (a timeline written on one line) is given to the
// general parser in pieces rather than held until its end.
const LONG_LINE = 1 << 20;
// After this many event lines refused in a row the reader is not tried again
// (a pretty-printed timeline: every line is a piece of an event).
const GIVE_UP = 64;

/**
 * A parser of timeline bytes: write(Uint8Array) and end(). handlers are
 * timeline.js's (onEvents, onMember, onEnd); `store`, when given, receives
 * the events eventline.js reads, in order with those given to onEvents.
 * Once the store holds `limit` events the rest of the input is ignored.
 */
export function createByteParser(handlers, store = null, limit = Infinity) {
  const parser = createTimelineParser(handlers);
  const decoder = new TextDecoder('utf-8');
  let reader = store ? createLineReader(store) : null;
  let refused = 0;
  let carry = null;            // the start of a line not yet ended
  let full = false;

  const slow = (bytes, s, e) => {
    if (e > s) parser.write(decoder.decode(bytes.subarray(s, e), { stream: true }), true);
  };

  // Lines of bytes[s..e) (e just after a newline, or the end of the input).
  function lines(bytes, s, e) {
    let pending = s;             // start of text not yet given to the general parser
    let at = s;
    while (at < e) {
      if (store && store.length >= limit) { full = true; return; }
      let nl = bytes.indexOf(0x0a, at);
      if (nl < 0 || nl >= e) nl = e - 1;
      if (reader && bytes[at] === 0x7b) {
        slow(bytes, pending, at);
        pending = at;
        if (parser.atElement()) {
          parser.flushBatch();
          if (reader.line(bytes, at, nl + 1)) {
            parser.tookElement(reader.comma);
            pending = nl + 1;
            refused = 0;
          } else if (++refused >= GIVE_UP) reader = null;
        }
      }
      at = nl + 1;
    }
    slow(bytes, pending, e);
  }

  return {
    get eventCount() { return parser.eventCount; },
    write(chunk) {
      if (full) return;
      let bytes = chunk;
      let from = 0;
      if (carry) {
        // The line begun in the last chunk, ended in this one: joined by
        // itself, the rest of the chunk read where it is.
        const nl = chunk.indexOf(0x0a);
        const take = nl < 0 ? chunk.length : nl + 1;
        bytes = new Uint8Array(carry.length + take);
        bytes.set(carry);
        bytes.set(chunk.subarray(0, take), carry.length);
        carry = null;
        if (nl >= 0) {
          lines(bytes, 0, bytes.length);
          bytes = chunk;
          from = take;
        }
      }
      const last = bytes.lastIndexOf(0x0a);
      if (last >= from) lines(bytes, from, last + 1);
      const rest = Math.max(from, last + 1);
      if (bytes.length - rest > LONG_LINE) slow(bytes, rest, bytes.length);
      else if (rest < bytes.length) carry = bytes.slice(rest);
      parser.flushBatch();
    },
    end() {
      if (full) return;
      if (carry) lines(carry, 0, carry.length);
      carry = null;
      const tail = decoder.decode();
      if (tail) parser.write(tail, true);
      parser.end();
    },
  };
}
