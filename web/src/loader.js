// Where a timeline comes from: a URL (?timeline=), a file chosen or dropped,
// or the JSON embedded in a self-contained report. All go through the
// streaming parser, handing events to the page while the rest still arrives;
// the work is cut into slices so the page can draw in between.

import { createTimelineParser, TimelineError, sniffCapture } from './timeline.js';

const SLICE_MS = 30;
// Text is parsed in pieces of at most this many characters, so that the page
// gets a turn (to draw, to scroll) between them even when the network hands
// over megabytes at once.
const PIECE = 1 << 17;

const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Feeds the parser chunk by chunk. Returns false when handlers.stale()
 * says the page no longer wants this timeline (another one was opened).
 */
async function pump(readChunk, handlers) {
  const parser = createTimelineParser(handlers);
  let sliceStart = performance.now();
  let first = true;
  for (;;) {
    if (handlers.stale?.()) return false;
    const chunk = await readChunk();
    if (chunk === null) break;
    for (let at = 0; at < chunk.length; at += PIECE) {
      parser.write(at === 0 && chunk.length <= PIECE ? chunk : chunk.slice(at, at + PIECE));
      handlers.onProgress?.(parser.eventCount);
      // Right after the first events (so they are drawn at once), then
      // whenever this turn has taken long enough.
      if (first || performance.now() - sliceStart > SLICE_MS) {
        first = parser.eventCount === 0;
        await yieldToPage();
        sliceStart = performance.now();
      }
    }
  }
  parser.end();
  return true;
}

async function pumpStream(stream, handlers) {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  let sniffed = false;
  await pump(async () => {
    const { done, value } = await reader.read();
    if (done) {
      const rest = decoder.decode();
      return rest === '' ? null : rest;
    }
    if (!sniffed) {
      sniffed = true;
      const kind = sniffCapture(value);
      if (kind) throw new TimelineError('capture_file', kind);
    }
    return decoder.decode(value, { stream: true });
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
  if (!response.body) return loadText(await response.text(), handlers);
  return pumpStream(response.body, handlers);
}

/** Loads a File from the file picker or a drop. */
export async function loadFile(file, handlers) {
  return pumpStream(file.stream(), handlers);
}

/** Loads timeline text already in memory (the report's embedded JSON). */
export async function loadText(text, handlers) {
  let done = false;
  return pump(async () => {
    if (done) return null;
    done = true;
    return text;
  }, handlers);
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
