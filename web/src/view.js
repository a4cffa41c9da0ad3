// The view of the open timeline: the diagram, playback and the selection,
// the status line, the connection list and the charts; rebuilt when the
// filters, the axis, the width or the language change, grown while the
// timeline loads.

import { countText } from './i18n.js';
import { createLayout, laneTitles, defaultMode } from './layout.js';
import { filterEvents, normalizeCriteria, showsEverything } from './filter.js';
import { createDiagram } from './diagram.js';
import { renderDetails } from './details.js';
import { renderConnectionList } from './connlist.js';
import { createPlayback } from './playback.js';
import { formatCount, formatEndpoint } from './format.js';
import { h, replaceChildren } from './dom.js';
import { chartEvents } from './series.js';
import { windowedFrameIndex } from './sources.js';
import { $, state, t, params } from './pagestate.js';
import { setPageState } from './pagetext.js';

export const diagram = createDiagram({
  scroller: $('diagram-scroll'),
  spacer: $('diagram-spacer'),
  header: $('lane-header'),
  onSelect: (row) => { playback.seek(row); },
  // A windowed session asks the server for the events of the rows drawn.
  onRows: (r0, r1) => {
    const ev = state.timeline?.events;
    if (ev?.want && state.layout) ev.want(state.layout.eventAt(r0), state.layout.eventAt(r1 - 1) + 1);
  },
});

// The charts (and uPlot) load on first use, so they do not delay the first
// drawing of the diagram.
let charts = null;
const chartsModule = () => import('./charts.js').then((m) => {
  charts ??= m.createCharts($('charts'));
  return charts;
});
export const destroyCharts = () => charts?.destroy();

export const playback = createPlayback({
  count: () => state.layout?.count ?? 0,
  onChange: (row, playing) => {
    $('play').textContent = playing ? '❚❚' : '▶';
    $('play').setAttribute('aria-label', t(playing ? 'play.pause' : 'play.play'));
    $('play').title = t(playing ? 'play.pause' : 'play.play');
    $('play').dataset.playing = String(playing);
    if (row >= 0) selectRow(row, true);
  },
});

export function updateStatus() {
  const tl = state.timeline;
  if (!tl) return;
  const total = tl.events.length;
  const shown = state.layout?.count ?? 0;
  $('status').textContent = state.loading
    ? countText(t, 'load.progress', total, formatCount)
    : t('load.done', { segments: countText(t, 'count.segments', total, formatCount),
      connections: countText(t, 'count.connections', tl.connections.length, formatCount), name: state.name });
  $('shown-count').textContent = t(total === 1 ? 'view.count.one' : 'view.count', { shown: formatCount(shown), total: formatCount(total) });
  // Filters that match nothing say so, rather than leaving empty lifelines.
  $('empty-view').hidden = !(state.layout && shown === 0 && total > 0 && !state.loading);
}

/** The index of the event of capture frame `frame`, or -1 (frames ascend in a timeline). */
function eventIndexOfFrame(frame) {
  const events = state.timeline?.events;
  if (!events) return -1;
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = events.frame(mid);
    if (f === frame) return mid;
    if (f < frame) lo = mid + 1;
    else hi = mid - 1;
  }
  for (let i = 0; i < events.length; i++) if (events.frame(i) === frame) return i;
  return -1;
}

export async function goToFrame(frame) {
  const windowedId = state.timeline?.events?.windowed ? params.get('session') : null;
  const index = !Number.isInteger(frame) ? -1
    : windowedId !== null ? await windowedFrameIndex(windowedId, frame).catch(() => -1) : eventIndexOfFrame(frame);
  const row = index >= 0 && state.layout ? state.layout.rowOfEvent(index) : -1;
  if (row < 0) {
    $('status').textContent = t('goto.none', { frame: String(frame) });
    return;
  }
  playback.pause();
  playback.seek(row);
  selectRow(row, true);
}

export function diagramWidth() {
  return Math.max(640, $('diagram-scroll').clientWidth - 2);
}

export function drawContext() {
  const tl = state.timeline;
  return {
    t,
    lang: state.lang,
    titles: laneTitles(tl.connections, state.criteria.conn),
    multi: tl.connections.length !== 1,
  };
}

/** Filters and lays out every event again (filters, mode, width or language changed). */
export function rebuild() {
  const tl = state.timeline;
  if (!tl || !state.mode) return;
  const keep = state.selected;
  const layout = createLayout(tl, {
    mode: state.mode, raw: state.raw, width: diagramWidth(), zoom: state.zoom, conn: state.criteria.conn,
  });
  // A windowed session showing everything lays its rows out without a list of them.
  if (tl.events.windowed && showsEverything(state.criteria)) layout.appendAll(tl.events.length);
  else layout.append(filterEvents(tl.events, state.criteria));
  state.layout = layout;
  state.filteredUpTo = tl.events.length;
  diagram.setLayout(layout, drawContext(), !state.loading);
  playback.clamp();
  const row = keep >= 0 ? layout.rowOfEvent(keep) : -1;
  if (row >= 0) {
    diagram.setSelected(row);
    diagram.reveal(row);
  } else if (keep >= 0) {
    state.selected = -1;
    renderDetails($('details'), null, { t, lang: state.lang });
  }
  updateStatus();
}

/** Events were appended to the timeline while it loads: lay out just those. */
export function growLayout() {
  const tl = state.timeline;
  if (!state.layout) {
    performance.mark('tcpviz:first-events');
    state.mode = state.mode ?? defaultMode(tl);
    syncControls();
    rebuild();
    setPageState('ready');
    performance.mark('tcpviz:first-drawn');
    return;
  }
  const indices = filterEvents(tl.events, state.criteria, state.filteredUpTo);
  state.filteredUpTo = tl.events.length;
  state.layout.append(indices);
  diagram.grow();
}

function connectionById(id) {
  return state.timeline?.connections.find((c) => c && c.id === id) ?? null;
}

/** The details pane for the selected segment (none: the hint). */
export function showDetails() {
  const e = state.selected >= 0 ? state.timeline?.events.get(state.selected) : null;
  renderDetails($('details'), e ?? null, { conn: e ? connectionById(e.conn) : null, t, lang: state.lang,
    events: state.timeline?.events, source: state.timeline?.source });
}

export function selectRow(row, reveal) {
  const layout = state.layout;
  if (!layout || row < 0 || row >= layout.count) return;
  state.selected = layout.eventAt(row);
  diagram.setSelected(row);
  if (reveal) diagram.reveal(row, false);
  showDetails();
  updateCharts();
}

export function updateConnections() {
  const tl = state.timeline;
  const select = $('conn-filter');
  replaceChildren(select, h('option', { value: 'all' }, t('filter.all')),
    tl.connections.filter((c) => c && typeof c === 'object').map((c) => h('option', { value: c.id },
      `#${c.id} ${formatEndpoint(c.client)} → ${formatEndpoint(c.server)}`)));
  select.value = state.criteria.conn === null ? 'all' : String(state.criteria.conn);
  renderConnectionList($('conn-list'), tl.connections, {
    selected: state.criteria.conn, t, totalSegments: tl.events.length, onChoose: chooseConnection,
  });
}

export function chooseConnection(conn) {
  state.criteria = normalizeCriteria({ ...state.criteria, conn });
  updateConnections();
  rebuild();
  updateCharts();
}

/** The charts follow the chosen connection, else the selected segment's, else the only one. */
export function updateCharts() {
  const tl = state.timeline;
  if (!tl || state.loading || tl.events.windowed) return;
  let id = state.criteria.conn;
  if (id === null && state.selected >= 0) id = tl.events.conn(state.selected) ?? null;
  if (id === null && tl.connections.length === 1) id = tl.connections[0]?.id ?? null;
  if (id === state.chartsConn) return;
  state.chartsConn = id;
  const conn = id === null ? null : connectionById(id);
  // After the next paint: the selected segment's details first, then the
  // charts (a connection of a million segments takes a moment to gather).
  const current = () => state.chartsConn === id && state.timeline === tl;
  requestAnimationFrame(() => setTimeout(() => {
    if (!current()) return;
    // The fields the charts read, thinned to what they can show (series.js).
    const events = conn ? chartEvents(tl.events, filterEvents(tl.events, { conn: id })) : [];
    chartsModule().then((c) => { if (current()) c.show(conn, events, t); });
  }, 0));
}

export function syncControls() {
  $('axis').value = state.mode;
  $('zoom').disabled = state.mode !== 'real';
}
