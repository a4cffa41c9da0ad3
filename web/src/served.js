// The page as sources.js drives it when served by `tcpviz serve`: a session
// in windows or the live capture. `serverApp` is the interface those sources
// act through (keep its members: sources.js, windowed.js and live.js use them).

import { $, state, t } from './pagestate.js';
import {
  diagram, playback, rebuild, growLayout, selectRow, updateConnections, updateCharts, updateStatus, drawContext,
  syncControls,
} from './view.js';
import { applyStaticText, setPageState, showNotice, showError, clearDetails } from './pagetext.js';

let following = true;        // a live page keeps the newest row in view
let lazy = null;            // a drawing of newly arrived live segments, queued

/** Runs fn at most every `ms` (the last call wins). */
function throttled(fn, ms) {
  let timer = null;
  return () => { if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, ms); };
}

export const serverApp = {
  state,
  t,
  showNotice,
  setStatus(text) { $('status').textContent = text; },
  beginSource(name) {
    playback.pause();
    Object.assign(state, { name, loading: true, layout: null, selected: -1, chartsConn: undefined, mode: null });
    setPageState('loading');
    $('status').textContent = t('load.loading', { name });
    clearDetails();
  },
  finishSource({ windowed = false, live = false }) {
    state.loading = false;
    // Filters need every event; a windowed page has only those near the view.
    for (const id of ['flagged', 'hide-acks', 'search', 'conn-filter']) $(id).disabled = windowed;
    applyStaticText();
    syncControls();
    rebuild();
    updateConnections();
    if (!live) updateStatus();
    setPageState('ready');
    if (live) wireFollowing();
  },
  fail(err) { showError(err); },
  windowArrived() {
    diagram.refreshPlaceholders();
    // The selected segment's details, when its window was the one awaited.
    if (state.selected >= 0 && !$('details').querySelector('[data-frame-shown]')) {
      const row = state.layout?.rowOfEvent(state.selected) ?? -1;
      if (row >= 0) selectRow(row, false);
    }
  },
  eventsAdded() {
    growLayout();
    // Drawn at once (not at the next animation frame): the arrow should be on
    // screen as soon as the segment is here. Segments arriving together are
    // drawn together.
    lazy ??= Promise.resolve().then(() => {
      lazy = null;
      if (following) diagram.revealEnd(); else diagram.render();
    });
  },
  connectionsChanged: throttled(() => { updateConnections(); diagram.refreshHeader(drawContext()); }, 500),
  kernelGrew: throttled(() => { state.chartsConn = undefined; updateCharts(); }, 1000),
};

/** Scrolling away from the newest row pauses following; "Jump to live" resumes it. */
function wireFollowing() {
  const scroller = $('diagram-scroll');
  const jump = $('live-jump');
  scroller.addEventListener('scroll', () => {
    const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2 * 52;
    if (atEnd !== following) {
      following = atEnd;
      jump.hidden = following;
      showNotice(following ? null : t('live.paused'));
    }
  }, { passive: true });
  jump.addEventListener('click', () => {
    following = true;
    jump.hidden = true;
    showNotice(null);
    diagram.revealEnd();
  });
}
