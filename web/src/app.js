// The page: wires the loader, the filters, the layout and the diagram, the
// details pane, the connection list, the charts and playback together. Each of
// those lives in its own module; this one holds the page's state.

import { translate, pickLanguage, countText } from './i18n.js';
import { LANGUAGES } from './strings.js';
import { createLayout, laneTitles, defaultMode } from './layout.js';
import { filterEvents, normalizeCriteria } from './filter.js';
import { createEventStore } from './eventstore.js';
import { createDiagram } from './diagram.js';
import { renderDetails } from './details.js';
import { renderConnectionList } from './connlist.js';
import { createPlayback, SPEEDS } from './playback.js';
import { loadUrl, loadFile, loadText, embeddedTimeline } from './loader.js';
import { TimelineError } from './timeline.js';
import { visibleSvg, svgToPng, download } from './export.js';
import { formatCount, formatEndpoint } from './format.js';
import { h, replaceChildren } from './dom.js';
import { openWindowed, openLive, windowedFrameIndex } from './sources.js';

const $ = (id) => document.getElementById(id);

function stored(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}
function store(key, value) {
  try { localStorage.setItem(key, value); } catch { /* file:// or private mode: not kept */ }
}

const params = new URLSearchParams(location.search);

const state = {
  timeline: null,
  name: '',
  loading: false,
  loadId: 0,
  lang: pickLanguage(params.get('lang') ?? stored('tcpviz.lang'), navigator.languages ?? []),
  theme: ['dark', 'light'].includes(params.get('theme')) ? params.get('theme')
    : ['dark', 'light'].includes(stored('tcpviz.theme')) ? stored('tcpviz.theme')
      : (matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark'),
  criteria: normalizeCriteria(),
  mode: null,
  raw: false,
  zoom: 1,
  layout: null,
  filteredUpTo: 0,       // events[0..filteredUpTo) have been through the filters
  selected: -1,          // event index
  chartsConn: undefined, // the connection the charts show (undefined: none drawn yet)
};

const t = (key, p) => translate(state.lang, key, p);

// Past this many segments the page stops reading and says to use `tcpviz
// serve` (which keeps the timeline and sends the page what is on screen):
// about a gigabyte of this page's columns, near what a browser tab may hold.
const MAX_STATIC_EVENTS = Number(params.get('max_events')) || 4_000_000;

/** A banner under the toolbar (the aggregate notice of a live page, a partial load). */
function showNotice(text) {
  $('notice').textContent = text ?? '';
  $('notice').hidden = !text;
}

const diagram = createDiagram({
  scroller: $('diagram-scroll'),
  spacer: $('diagram-spacer'),
  header: $('lane-header'),
  onSelect: (row) => { playback.seek(row); },
  // A windowed session asks the server for the events of the rows drawn.
  onRows: (r0, r1) => {
    const ev = state.timeline?.events;
    if (ev?.want && state.layout) ev.want(state.layout.rows[r0], state.layout.rows[r1 - 1] + 1);
  },
});
// The charts (and uPlot) load on first use, so they do not delay the first
// drawing of the diagram.
let charts = null;
const chartsModule = () => import('./charts.js').then((m) => {
  charts ??= m.createCharts($('charts'));
  return charts;
});
const playback = createPlayback({
  count: () => state.layout?.count ?? 0,
  onChange: (row, playing) => {
    $('play').textContent = playing ? '❚❚' : '▶';
    $('play').setAttribute('aria-label', t(playing ? 'play.pause' : 'play.play'));
    $('play').title = t(playing ? 'play.pause' : 'play.play');
    $('play').dataset.playing = String(playing);
    if (row >= 0) selectRow(row, true);
  },
});

// ---- text and theme ------------------------------------------------------

function applyStaticText() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = state.name ? `${state.name} — ${t('app.title')}` : t('app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  $('lang').value = state.lang;
  $('theme').textContent = state.theme === 'dark' ? '☀' : '☾';
  $('theme').title = t(state.theme === 'dark' ? 'theme.light' : 'theme.dark');
  $('play').title = t(playback.playing ? 'play.pause' : 'play.play');
}

/** Projector mode: larger type in the diagram and the details (kept for next time). */
function setProjector(on) {
  document.body.classList.toggle('projector', on);
  $('projector').setAttribute('aria-pressed', String(on));
  store('tcpviz.projector', on ? '1' : '0');
  if (state.layout) rebuild();
}

function setTheme(theme) {
  state.theme = theme;
  document.documentElement.dataset.theme = theme;
  store('tcpviz.theme', theme);
  applyStaticText();
  if (state.timeline) { state.chartsConn = undefined; updateCharts(); }
}

function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  state.lang = lang;
  store('tcpviz.lang', lang);
  applyStaticText();
  // The details pane follows too: the hint when nothing is selected.
  const chosen = state.timeline && state.selected >= 0 ? state.timeline.events.get(state.selected) : null;
  renderDetails($('details'), chosen ?? null, { conn: chosen ? connectionById(chosen.conn) : null, t, lang: state.lang,
    events: state.timeline?.events, source: state.timeline?.source });
  if (!state.timeline) return;
  rebuild();
  updateConnections();
  state.chartsConn = undefined;
  updateCharts();
  updateStatus();
}

// ---- status and errors ---------------------------------------------------

function setPageState(s) {
  document.body.dataset.state = s;
}

function showError(err) {
  const code = err instanceof TimelineError ? err.code : 'fetch';
  const detail = err instanceof TimelineError ? err.detail : String(err?.message ?? err);
  const key = code === 'too_big' ? 'load.too_big' : `error.${code}`;
  state.loading = false;
  setPageState('error');
  const box = $('message');
  replaceChildren(box, h('h2', null, t('error.title')), h('p', { 'data-error': code }, t(key, { detail })));
  box.hidden = false;
  $('status').textContent = '';
}

function updateStatus() {
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

async function goToFrame(frame) {
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

// ---- layout and drawing --------------------------------------------------

function diagramWidth() {
  return Math.max(640, $('diagram-scroll').clientWidth - 2);
}

function drawContext() {
  const tl = state.timeline;
  return {
    t,
    lang: state.lang,
    titles: laneTitles(tl.connections, state.criteria.conn),
    multi: tl.connections.length !== 1,
  };
}

/** Filters and lays out every event again (filters, mode, width or language changed). */
function rebuild() {
  const tl = state.timeline;
  if (!tl || !state.mode) return;
  const keep = state.selected;
  const layout = createLayout(tl, {
    mode: state.mode, raw: state.raw, width: diagramWidth(), zoom: state.zoom, conn: state.criteria.conn,
  });
  layout.append(filterEvents(tl.events, state.criteria));
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
function growLayout() {
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

function selectRow(row, reveal) {
  const layout = state.layout;
  if (!layout || row < 0 || row >= layout.count) return;
  state.selected = layout.rows[row];
  diagram.setSelected(row);
  if (reveal) diagram.reveal(row, false);
  const e = state.timeline.events.get(state.selected);
  renderDetails($('details'), e ?? null, { conn: e ? connectionById(e.conn) : null, t, lang: state.lang, events: state.timeline.events, source: state.timeline.source });
  updateCharts();
}

function updateConnections() {
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

function chooseConnection(conn) {
  state.criteria = normalizeCriteria({ ...state.criteria, conn });
  updateConnections();
  rebuild();
  updateCharts();
}

/** The charts follow the chosen connection, else the selected segment's, else the only one. */
function updateCharts() {
  const tl = state.timeline;
  if (!tl || state.loading || tl.events.windowed) return;
  let id = state.criteria.conn;
  if (id === null && state.selected >= 0) id = tl.events.conn(state.selected) ?? null;
  if (id === null && tl.connections.length === 1) id = tl.connections[0]?.id ?? null;
  if (id === state.chartsConn) return;
  state.chartsConn = id;
  const conn = id === null ? null : connectionById(id);
  const events = conn ? [...filterEvents(tl.events, { conn: id })].map((i) => tl.events.get(i)) : [];
  chartsModule().then((c) => { if (state.chartsConn === id && state.timeline === tl) c.show(conn, events, t); });
}

function syncControls() {
  $('axis').value = state.mode;
  $('zoom').disabled = state.mode !== 'real';
}

// ---- loading -------------------------------------------------------------

async function load(source, name) {
  const id = ++state.loadId;
  playback.pause();
  charts?.destroy();
  Object.assign(state, {
    timeline: { events: createEventStore(), connections: [] }, name, loading: true, layout: null, selected: -1,
    chartsConn: undefined, mode: null, criteria: normalizeCriteria({ ...state.criteria, conn: null }),
  });
  $('message').hidden = true;
  showNotice(null);
  let capped = false;
  setPageState('loading');
  $('status').textContent = t('load.loading', { name });
  renderDetails($('details'), null, { t, lang: state.lang });
  applyStaticText();
  const tl = state.timeline;
  let lastStatus = 0;
  const handlers = {
    stale: () => id !== state.loadId || capped,
    onEvents(batch) {
      if (id !== state.loadId || capped) return;
      for (let i = 0; i < batch.length && !capped; i++) {
        tl.events.push(batch[i]);
        capped = tl.events.length >= MAX_STATIC_EVENTS;
      }
      growLayout();
    },
    onMember(key, value) {
      if (id !== state.loadId || key === 'events' || key === '__proto__') return;
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
      if (id !== state.loadId) return;
      const now = performance.now();
      if (now - lastStatus > 250) { lastStatus = now; updateStatus(); }
    },
  };
  try {
    const reading = source(handlers);   // starts the fetch or file read
    // Lay the page out now, while the first bytes are on their way, rather
    // than when the first segments are ready to draw.
    diagramWidth();
    await reading;
  } catch (err) {
    // Out of memory (a string or an array the engine cannot make): keep what
    // was read, if anything, and say to use the server.
    if (id === state.loadId && err instanceof RangeError) {
      if (tl.events.length > 0) capped = true;
      else err = new TimelineError('too_big', err.message);
    }
    if (id === state.loadId && !capped) {
      state.timeline = null;
      state.layout = null;
      diagram.setLayout(null, null);
      showError(err);
    }
    if (!capped) return;
  }
  if (id !== state.loadId) return;
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

function openFile(file) {
  if (!file) return;
  load((hd) => loadFile(file, hd), file.name);
}

// ---- controls ------------------------------------------------------------

function exportName(ext) {
  const base = (state.name || 'timeline').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  return `tcpviz-${base}.${ext}`;
}

function currentSvg() {
  const bg = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#ffffff';
  return visibleSvg({ header: $('lane-header'), diagram: diagram.svg, scroller: $('diagram-scroll'), background: bg, top: diagram.viewTop });
}

function wireControls() {
  $('file-input').addEventListener('change', (ev) => openFile(ev.target.files?.[0]));
  $('open').addEventListener('click', () => $('file-input').click());
  $('lang').addEventListener('change', (ev) => setLanguage(ev.target.value));
  $('theme').addEventListener('click', () => setTheme(state.theme === 'dark' ? 'light' : 'dark'));
  $('conn-filter').addEventListener('change', (ev) => chooseConnection(ev.target.value === 'all' ? null : Number(ev.target.value)));
  $('flagged').addEventListener('change', (ev) => { state.criteria.flaggedOnly = ev.target.checked; rebuild(); });
  $('hide-acks').addEventListener('change', (ev) => { state.criteria.hidePureAcks = ev.target.checked; rebuild(); });
  let searchTimer = null;
  $('search').addEventListener('input', (ev) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.criteria = normalizeCriteria({ ...state.criteria, search: ev.target.value }); rebuild(); }, 150);
  });
  $('axis').addEventListener('change', (ev) => { state.mode = ev.target.value; syncControls(); rebuild(); });
  $('projector').addEventListener('click', () => setProjector(!document.body.classList.contains('projector')));
  $('zoom').addEventListener('input', (ev) => { state.zoom = 2 ** Number(ev.target.value); rebuild(); });
  $('raw').addEventListener('change', (ev) => { state.raw = ev.target.checked; rebuild(); });
  $('play').addEventListener('click', () => playback.toggle());
  $('goto').addEventListener('change', (ev) => goToFrame(Number(ev.target.value)));
  $('prev').addEventListener('click', () => playback.step(-1));
  $('next').addEventListener('click', () => playback.step(1));
  const speed = $('speed');
  replaceChildren(speed, SPEEDS.map((s) => h('option', { value: s, selected: s === 1 }, `${s}×`)));
  speed.addEventListener('change', () => playback.setSpeed(Number(speed.value)));
  $('export-svg').addEventListener('click', () => {
    download(new Blob([currentSvg()], { type: 'image/svg+xml' }), exportName('svg'));
  });
  $('export-png').addEventListener('click', async () => {
    download(await svgToPng(currentSvg()), exportName('png'));
  });
  $('print').addEventListener('click', () => window.print());

  document.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || !state.layout) return;
    const el = ev.target;
    const tag = el?.tagName;
    // Leave keys to the control that has them: text fields, menus and
    // sliders use the arrows; buttons and checkboxes use space.
    const arrowsTaken = tag === 'SELECT' || tag === 'TEXTAREA' || (tag === 'INPUT' && el.type !== 'checkbox');
    const spaceTaken = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'A'].includes(tag);
    if (ev.key === 'ArrowDown' && !arrowsTaken) { playback.step(1); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp' && !arrowsTaken) { playback.step(-1); ev.preventDefault(); }
    else if (ev.key === ' ' && !spaceTaken) { playback.toggle(); ev.preventDefault(); }
    else if (ev.key === 'Home' && !arrowsTaken) { playback.seek(0); ev.preventDefault(); }
    else if (ev.key === 'End' && !arrowsTaken) { playback.seek(state.layout.count - 1); ev.preventDefault(); }
  });

  // Drop a timeline anywhere on the page.
  let depth = 0;
  document.addEventListener('dragenter', (ev) => { ev.preventDefault(); depth++; document.body.classList.add('dragging'); });
  document.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; document.body.classList.remove('dragging'); } });
  document.addEventListener('dragover', (ev) => ev.preventDefault());
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    openFile(ev.dataTransfer?.files?.[0]);
  });

  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = diagramWidth();
    if (state.layout && Math.abs(w - lastWidth) > 8) { lastWidth = w; rebuild(); }
    else lastWidth = w;
  }).observe($('diagram-scroll'));
}

// ---- pages served by tcpviz serve (sources.js) ----------------------------

let following = true;        // a live page keeps the newest row in view
let lazy = null;            // a drawing of newly arrived live segments, queued
/** Runs fn at most every `ms` (the last call wins). */
function throttled(fn, ms) {
  let timer = null;
  return () => { if (timer === null) timer = setTimeout(() => { timer = null; fn(); }, ms); };
}

const serverApp = {
  state,
  t,
  showNotice,
  setStatus(text) { $('status').textContent = text; },
  beginSource(name) {
    playback.pause();
    Object.assign(state, { name, loading: true, layout: null, selected: -1, chartsConn: undefined, mode: null });
    setPageState('loading');
    $('status').textContent = t('load.loading', { name });
    renderDetails($('details'), null, { t, lang: state.lang });
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

/** The workspace fills the screen under the header (whose height depends on wrapping and notices). */
function trackHeaderHeight() {
  const set = () => {
    const h = $('header').offsetHeight + ($('notice').hidden ? 0 : $('notice').offsetHeight);
    document.documentElement.style.setProperty('--head-h', `${h}px`);
  };
  const ro = new ResizeObserver(set);
  ro.observe($('header'));
  ro.observe($('notice'));
  set();
}

function start() {
  performance.mark('tcpviz:start');
  document.documentElement.dataset.theme = state.theme;
  wireControls();
  setProjector((params.get('projector') ?? stored('tcpviz.projector')) === '1');
  trackHeaderHeight();
  applyStaticText();
  renderDetails($('details'), null, { t, lang: state.lang });
  setPageState('empty');
  const embedded = embeddedTimeline(document);
  const url = params.get('timeline');
  if (params.get('live') === '1') {
    openLive(serverApp);
  } else if (params.get('session') !== null) {
    openWindowed(serverApp, params.get('session'));
  } else if (embedded !== null) {
    load((hd) => loadText(embedded, hd), params.get('name') ?? 'report');
  } else if (url) {
    load((hd) => loadUrl(new URL(url, location.href).href, hd), url.split('/').pop() || url);
  }
  window.tcpvizBooted = true;
}

start();
