// Where a timeline comes from: a URL (?timeline=), a file chosen or dropped,
// or the JSON embedded in a self-contained report. All go through the
// streaming byte parser (linefeed.js), handing events to the page while the
// rest still arrives; the work is cut into slices so the page can draw in
// between.
//
// handlers: those of timeline.js (onEvents, onMember, onEnd), and
//   store            the event store event lines are read into directly
//   onEventsStored() new events are in the store (or came through onEvents):
//                    called before the page gets a turn, and at the end
//   onProgress(n)    n events read so far
//   stale()          true when the page no longer wants this timeline

import { TimelineError, sniffCapture } from './timeline.js';
import { createByteParser } from './linefeed.js';

const SLICE_MS = 30;
// Bytes are parsed in pieces of at most this many, so that the page gets a
// turn (to draw, to scroll) between them even when the network hands over
// megabytes at once.
const PIECE = 1 << 18;

const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Feeds the parser chunk by chunk. Returns false when handlers.stale()
 * says the page no longer wants this timeline (another one was opened).
 */
async function pump(readChunk, handlers) {
  const parser = createByteParser(handlers, handlers.store ?? null, handlers.limit ?? Infinity);
  let sliceStart = performance.now();
  let first = true;
  for (;;) {
    if (handlers.stale?.()) return false;
    const chunk = await readChunk();
    if (chunk === null) break;
    for (let at = 0; at < chunk.length; at += PIECE) {
      parser.write(at === 0 && chunk.length <= PIECE ? chunk : chunk.subarray(at, at + PIECE));
      handlers.onProgress?.(parser.eventCount);
      // Right after the first events (so they are drawn at once), then
      // whenever this turn has taken long enough.
      if (first || performance.now() - sliceStart > SLICE_MS) {
        first = parser.eventCount === 0;
        handlers.onEventsStored?.();
        await yieldToPage();
        sliceStart = performance.now();
      }
    }
  }
  parser.end();
  handlers.onEventsStored?.();
  return true;
}

// Read into one buffer used again and again where the stream allows it (a
// byte stream, as fetch and File bodies are in Chromium): the default reader
// makes a new buffer of up to 2 MB for every chunk, which for a 700 MB
// timeline costs about as much CPU as reading the events.
const READ_BUFFER = 1 << 20;

function chunkReader(stream) {
  let reader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    reader = stream.getReader();
    return { read: () => reader.read(), cancel: () => reader.cancel() };
  }
  let buffer = new ArrayBuffer(READ_BUFFER);
  return {
    async read() {
      const result = await reader.read(new Uint8Array(buffer));
      if (result.value) buffer = result.value.buffer;
      return result;
    },
    cancel: () => reader.cancel(),
  };
}

async function pumpStream(stream, handlers) {
  const reader = chunkReader(stream);
  let sniffed = false;
  await pump(async () => {
    const { done, value } = await reader.read();
    if (done) return null;
    if (!sniffed) {
      sniffed = true;
      const kind = sniffCapture(value);
      if (kind) throw new TimelineError('capture_file', kind);
    }
    return value;
  }, handlers).finally(() => reader.cancel().catch(() => {}));
}

/** Loads the timeline at `url` (fetch; streamed). */
export async function loadUrl(url, handlers) {
  // (Starting this fetch earlier, from a script in <head>, was measured to
  // make the first drawing later: the arriving body slows the modules' start.)
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new TimelineError('fetch', `${url}: ${err.message}`);
  }
  if (!response.ok) throw new TimelineError('fetch', `${url}: HTTP ${response.status}`);
  if (!response.body) return pump(chunksOf(new Uint8Array(await response.arrayBuffer())), handlers);
  return pumpStream(response.body, handlers);
}

/** Loads a File from the file picker or a drop. */
export async function loadFile(file, handlers) {
  return pumpStream(file.stream(), handlers);
}

/** Loads timeline text already in memory (the report's embedded JSON). */
export async function loadText(text, handlers) {
  const encoder = new TextEncoder();
  let at = 0;
  return pump(async () => {
    if (at >= text.length) return null;
    let stop = Math.min(text.length, at + PIECE);
    // Never between the two halves of a surrogate pair.
    if (stop < text.length && (text.charCodeAt(stop - 1) & 0xfc00) === 0xd800) stop--;
    const piece = encoder.encode(text.slice(at, stop));
    at = stop;
    return piece;
  }, handlers);
}

/** A readChunk over bytes already in memory. */
function chunksOf(bytes) {
  let done = false;
  return async () => {
    if (done) return null;
    done = true;
    return bytes;
  };
}

/**
 * The timeline embedded in a self-contained report, as text, or null when
 * the page has none: no element, or an element still holding the build's
 * placeholder (a word between double underscores) or nothing.
 */
export function embeddedTimeline(doc) {
  const el = doc.getElementById('tcpviz-timeline');
  if (!el) return null;
  const text = el.textContent ?? '';
  const trimmed = text.trim();
  if (trimmed === '' || /^__[A-Z_]+__$/.test(trimmed)) return null;
  return text;
}
