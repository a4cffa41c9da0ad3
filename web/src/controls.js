// The page's controls: the toolbar (open, language, theme, filters, axis,
// zoom, playback, go to frame, export, print), the keys, dropping a file on
// the page, and re-laying out when the diagram's width changes.

import { normalizeCriteria } from './filter.js';
import { SPEEDS } from './playback.js';
import { visibleSvg, svgToPng, download } from './export.js';
import { h, replaceChildren } from './dom.js';
import { $, state } from './pagestate.js';
import {
  diagram, playback, rebuild, chooseConnection, goToFrame, syncControls, diagramWidth,
} from './view.js';
import { setLanguage, setTheme, setProjector } from './pagetext.js';
import { openFile } from './pageload.js';

function exportName(ext) {
  const base = (state.name || 'timeline').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  return `tcpviz-${base}.${ext}`;
}

function currentSvg() {
  const bg = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#ffffff';
  return visibleSvg({ header: $('lane-header'), diagram: diagram.svg, scroller: $('diagram-scroll'), background: bg, top: diagram.viewTop });
}

/** The filters and the axis: each change lays the diagram out again. */
function wireFilters() {
  $('conn-filter').addEventListener('change', (ev) => chooseConnection(ev.target.value === 'all' ? null : Number(ev.target.value)));
  $('flagged').addEventListener('change', (ev) => { state.criteria.flaggedOnly = ev.target.checked; rebuild(); });
  $('hide-acks').addEventListener('change', (ev) => { state.criteria.hidePureAcks = ev.target.checked; rebuild(); });
  let searchTimer = null;
  $('search').addEventListener('input', (ev) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.criteria = normalizeCriteria({ ...state.criteria, search: ev.target.value }); rebuild(); }, 150);
  });
  $('axis').addEventListener('change', (ev) => { state.mode = ev.target.value; syncControls(); rebuild(); });
  $('zoom').addEventListener('input', (ev) => { state.zoom = 2 ** Number(ev.target.value); rebuild(); });
  $('raw').addEventListener('change', (ev) => { state.raw = ev.target.checked; rebuild(); });
}

function wireToolbar() {
  $('file-input').addEventListener('change', (ev) => openFile(ev.target.files?.[0]));
  $('open').addEventListener('click', () => $('file-input').click());
  $('lang').addEventListener('change', (ev) => setLanguage(ev.target.value));
  $('theme').addEventListener('click', () => setTheme(state.theme === 'dark' ? 'light' : 'dark'));
  $('projector').addEventListener('click', () => setProjector(!document.body.classList.contains('projector')));
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
}

/** ↓/↑ step, space plays or pauses, Home/End go to the first or last row. */
function wireKeys() {
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
}

/** Drop a timeline anywhere on the page. */
function wireDrop() {
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
}

export function wireControls() {
  wireToolbar();
  wireFilters();
  wireKeys();
  wireDrop();
  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = diagramWidth();
    if (state.layout && Math.abs(w - lastWidth) > 8) { lastWidth = w; rebuild(); }
    else lastWidth = w;
  }).observe($('diagram-scroll'));
}
