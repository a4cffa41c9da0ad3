// Opening a timeline from a URL, a file or the report's embedded JSON: the
// events go into a fresh event store as they are read (the analyzer's lines
// straight from bytes, see linefeed.js), the view grows between slices of
// reading, and a timeline past what the page may hold is kept up to there
// with a banner saying to use `tcpviz serve`.

import { normalizeCriteria } from './filter.js';
import { createEventStore } from './eventstore.js';
import { loadFile } from './loader.js';
import { TimelineError } from './timeline.js';
import { formatCount } from './format.js';
import { $, state, t, MAX_STATIC_EVENTS } from './pagestate.js';
import {
  diagram, playback, destroyCharts, growLayout, rebuild, updateConnections, updateStatus, updateCharts, drawContext,
  diagramWidth,
} from './view.js';
import { applyStaticText, setPageState, showNotice, showError, clearDetails } from './pagetext.js';

const GROW_MS = 200;

/** The loader's handlers for load number `id` into timeline `tl`; isCapped() says the page stopped reading. */
function loadHandlers(id, tl) {
  let capped = false;
  let lastStatus = 0;
  let lastGrow = 0;
  const current = () => id === state.loadId;
  return {
    isCapped: () => capped,
    cap() { capped = true; },
    store: tl.events,
    limit: MAX_STATIC_EVENTS,
    stale: () => !current() || capped,
    onEvents(batch) {
      if (!current() || capped) return;
      for (let i = 0; i < batch.length && tl.events.length < MAX_STATIC_EVENTS; i++) tl.events.push(batch[i]);
    },
    onEventsStored() {
      if (!current() || capped) return;
      capped = tl.events.length >= MAX_STATIC_EVENTS;
      // The first rows at once; then the diagram grows a few times a second
      // (each growth lays the page out again), and whole at the end.
      const now = performance.now();
      if (state.layout && now - lastGrow < GROW_MS && !capped) return;
      if (tl.events.length > (state.layout ? state.filteredUpTo : 0)) { lastGrow = now; growLayout(); }
    },
    onMember(key, value) {
      if (!current() || key === 'events' || key === '__proto__') return;
      if (key === 'connections') {
        tl.connections = Array.isArray(value) ? value : [];
        if (state.layout) diagram.refreshHeader(drawContext());
      } else {
        tl[key] = value;
        if (key === 'source' && state.name === 'report' && typeof value?.file === 'string') {
          state.name = value.file.split('/').pop();
          applyStaticText();
        }
      }
    },
    onProgress() {
      if (!current()) return;
      const now = performance.now();
      if (now - lastStatus > 250) { lastStatus = now; updateStatus(); }
    },
  };
}

/** A fresh, empty timeline being loaded under `name`. */
function beginLoad(name) {
  playback.pause();
  destroyCharts();
  Object.assign(state, {
    timeline: { events: createEventStore(), connections: [] }, name, loading: true, layout: null, selected: -1,
    chartsConn: undefined, mode: null, criteria: normalizeCriteria({ ...state.criteria, conn: null }),
  });
  $('message').hidden = true;
  showNotice(null);
  setPageState('loading');
  $('status').textContent = t('load.loading', { name });
  clearDetails();
  applyStaticText();
}

/** Loads a timeline: source(handlers) reads it (loader.js). */
export async function load(source, name) {
  const id = ++state.loadId;
  beginLoad(name);
  const tl = state.timeline;
  const handlers = loadHandlers(id, tl);
  try {
    const reading = source(handlers);   // starts the fetch or file read
    // Lay the page out now, while the first bytes are on their way, rather
    // than when the first segments are ready to draw.
    diagramWidth();
    await reading;
  } catch (caught) {
    // Out of memory (a string or an array the engine cannot make): keep what
    // was read, if anything, and say to use the server.
    let err = caught;
    if (id === state.loadId && err instanceof RangeError) {
      if (tl.events.length > 0) handlers.cap();
      else err = new TimelineError('too_big', err.message);
    }
    if (id === state.loadId && !handlers.isCapped()) {
      state.timeline = null;
      state.layout = null;
      diagram.setLayout(null, null);
      showError(err);
    }
    if (!handlers.isCapped()) return;
  }
  if (id !== state.loadId) return;
  finishLoad(tl, handlers.isCapped());
}

function finishLoad(tl, capped) {
  if (capped) showNotice(t('load.partial', { n: formatCount(tl.events.length) }));
  state.loading = false;
  if (!state.layout) growLayout();
  // The connection summaries came last: the brackets and lane titles know
  // the teardown kinds and endpoints only now.
  rebuild();
  updateConnections();
  updateStatus();
  updateCharts();
  setPageState('ready');
}

export function openFile(file) {
  if (!file) return;
  load((hd) => loadFile(file, hd), file.name);
}
