// Drawing the ladder: turns a layout (layout.js) into SVG, only for the rows
// near the visible part of the scroll area, so that the number of elements
// stays small whatever the timeline's size. Rows are kept in a map by row
// number; a scroll removes the rows that left and adds the ones that came.
//
//   #diagram-scroll (overflow: auto)
//     #diagram-spacer (height = layout height, at most MAX_SCROLL_PX)
//       svg (absolute, viewBox 0 y0-origin W h): lifelines, folds, brackets,
//            then one <g data-frame="N"> per drawn segment
//
// Coordinates in the svg are the drawing's less `origin`, a multiple of
// ORIGIN_STEP near the view: SVG numbers are single precision, so a row at
// y = 40,000,000 would be drawn up to 4 px off (and its text blurred).
//
// Browsers cap an element's height (Chromium near 33.5 million px, about
// 640,000 rows), so a taller drawing is mapped onto a scroll area of
// MAX_SCROLL_PX: the scrollbar spans the whole timeline proportionally, the
// wheel and the keys still move the drawing pixel for pixel, and the svg is
// placed under the view wherever the view is. `viewTop` is where the view
// is in the drawing's own coordinates.

import { s } from './dom.js';
import { fitLabel } from './layout.js';
import { formatDuration } from './format.js';

/** Timelines up to this many shown rows are drawn whole (cheap, and every segment is in the DOM). */
export const DRAW_ALL_BELOW = 600;
const OVERSCAN_PX = 600;
export const MAX_SCROLL_PX = 15_000_000;
const ORIGIN_STEP = 1 << 20;

/**
 * The mapping between the scroll position and the drawing's y for a drawing
 * `height` px tall seen through a view `viewH` px tall: identity while the
 * drawing fits in MAX_SCROLL_PX, proportional beyond. Pure (tested in Node).
 */
export function scrollMapping(height, viewH, max = MAX_SCROLL_PX) {
  if (height <= max) return { scrollHeight: height, toContent: (s) => s, toScroll: (y) => y, ratio: 1 };
  const ratio = Math.max(1, height - viewH) / Math.max(1, max - viewH);
  return { scrollHeight: max, toContent: (s) => s * ratio, toScroll: (y) => y / ratio, ratio };
}

export function createDiagram({ scroller, spacer, header, onSelect, onRows }) {
  const svg = s('svg', { class: 'dg', role: 'img' });
  const bg = s('g', { class: 'dg-bg' });
  const rowsG = s('g', { class: 'dg-rows' });
  svg.append(bg, rowsG);
  spacer.appendChild(svg);

  let layout = null;
  let ctx = null;             // { events, t(key, params), lang, titles }
  let drawn = new Map();      // row → <g>
  let selectedRow = -1;
  let pending = false;
  let range = [0, 0];
  let win = null;             // [y0, y1]: the part of the drawing the svg covers now
  let complete = true;        // false while the timeline is still arriving
  let drawnCount = -1;        // layout.count when the rows were last drawn
  let mapping = scrollMapping(0, 0);
  let viewTop = 0;            // the view's top in the drawing's coordinates
  let setScrollTop = -1;      // the scrollTop this module set last (its own scroll events)
  let origin = 0;             // drawing y of the svg's y = 0
  const placeholders = new Set(); // rows drawn as "loading" (a windowed session's events on their way)

  svg.addEventListener('click', (ev) => {
    const g = ev.target.closest?.('g[data-row]');
    if (g) onSelect?.(Number(g.getAttribute('data-row')));
  });
  scroller.addEventListener('scroll', () => {
    // The lane titles sit above the scroll area: follow its horizontal scroll.
    header.style.transform = scroller.scrollLeft ? `translateX(${-scroller.scrollLeft}px)` : '';
    // A scroll this module did not make (scrollbar, keys): the view follows
    // the scrollbar. One it made keeps the exact viewTop it asked for.
    if (Math.abs(scroller.scrollTop - setScrollTop) >= 1) {
      viewTop = mapping.toContent(scroller.scrollTop);
      setScrollTop = -1;
    }
    schedule();
  }, { passive: true });
  // On a mapped (very tall) drawing the wheel moves the drawing pixel for
  // pixel rather than the scrollbar's coarser pixels.
  scroller.addEventListener('wheel', (ev) => {
    if (mapping.ratio === 1 || ev.ctrlKey || ev.deltaY === 0) return;
    ev.preventDefault();
    const unit = ev.deltaMode === 1 ? 40 : ev.deltaMode === 2 ? scroller.clientHeight : 1;
    scrollToContent(viewTop + ev.deltaY * unit);
    if (ev.deltaX) scroller.scrollLeft += ev.deltaX * unit;
  }, { passive: false });

  function scrollToContent(y) {
    const maxTop = Math.max(0, (layout?.height ?? 0) - scroller.clientHeight);
    viewTop = Math.min(Math.max(0, y), maxTop);
    scroller.scrollTop = mapping.toScroll(viewTop);
    setScrollTop = scroller.scrollTop;
    schedule();
  }
  new ResizeObserver(() => { win = null; schedule(); }).observe(scroller);

  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }

  function clearRows() {
    for (const g of drawn.values()) g.remove();
    drawn = new Map();
    placeholders.clear();
  }

  function drawHeader() {
    header.replaceChildren();
    if (!layout) return;
    svg.setAttribute('aria-label', ctx.t('diagram.label'));
    const w = layout.lanes.width;
    header.setAttribute('viewBox', `0 0 ${w} 52`);
    header.setAttribute('width', String(w));
    header.setAttribute('height', '52');
    for (const side of ['client', 'server']) {
      const x = side === 'client' ? layout.lanes.clientX : layout.lanes.serverX;
      const title = ctx.titles[side];
      const addr = typeof title === 'string' ? title : ctx.t('lane.many', { n: title.count });
      header.append(
        s('text', { class: `dg-lane-title dg-${side}`, x, y: 20, 'text-anchor': 'middle', 'data-lane': side }, ctx.t(`lane.${side}`)),
        s('text', { class: 'dg-lane-addr', x, y: 42, 'text-anchor': 'middle' }, addr),
      );
    }
  }

  function rowElement(i) {
    const a = layout.arrow(i, origin);
    if (a.placeholder) {
      placeholders.add(i);
      return s('g', { class: 'dg-seg dg-loading', 'data-row': i },
        s('text', { class: 'dg-time', x: a.gutterX, y: a.top + 30 }, ctx.t('windowed.loading')));
    }
    const rh = layout.rowHeight;
    const cls = ['dg-seg', `dg-${a.kind}`, `dg-${a.dir}`];
    if (a.tagGroup) cls.push(`dg-tag-${a.tagGroup}`);
    if (a.problem) cls.push('dg-problem');
    if (i === selectedRow) cls.push('dg-current');
    const g = s('g', { class: cls.join(' '), 'data-frame': a.frame, 'data-row': i, 'data-conn': a.conn });
    g.append(
      s('rect', { class: 'dg-rowbg', x: 0, y: a.top, width: layout.lanes.width, height: rh }),
      s('text', { class: 'dg-frame', x: a.gutterX, y: a.top + 17 }, a.frameText, a.connText ? ` ${a.connText}` : ''),
      s('text', { class: 'dg-time', x: a.gutterX, y: a.top + 34 }, a.timeText),
      s('line', { class: 'dg-hit', x1: a.x1, y1: a.y1, x2: a.x2, y2: a.y2 }),
      s('line', { class: 'dg-arrow', x1: a.line[0], y1: a.line[1], x2: a.line[2], y2: a.line[3] }),
      s('polygon', { class: 'dg-head', points: a.head.map((p) => p.join(',')).join(' ') }),
      s('text', { class: 'dg-label', x: a.labelX, y: a.labelY, 'text-anchor': 'middle' }, a.label),
    );
    if (a.payload) {
      g.append(s('text', { class: 'dg-payload', x: a.payloadX, y: a.payloadY, 'text-anchor': a.payloadAnchor }, a.payload));
    }
    if (a.tags.length) {
      g.append(s('text', { class: 'dg-tags', x: a.tagsX, y: a.tagsY, 'text-anchor': a.tagsAnchor },
        a.tags.map((name) => ctx.t(`tag.${name}`)).join(' · ')));
    }
    for (const st of a.states) {
      const lx = st.side === 'client' ? layout.lanes.clientX : layout.lanes.serverX;
      g.append(
        s('circle', { class: 'dg-state-dot', cx: lx, cy: st.dotY, r: 4 }),
        s('text', { class: 'dg-state', x: st.x, y: st.y, 'text-anchor': st.anchor, 'data-state': st.to, 'data-side': st.side }, st.to),
      );
    }
    return g;
  }

  // y0, y1: the window in drawing coordinates; what is drawn is less origin.
  function drawBackground(y0, y1) {
    const o = origin;
    bg.replaceChildren();
    const { clientX, serverX, width } = layout.lanes;
    for (const x of [clientX, serverX]) {
      bg.append(s('line', { class: 'dg-lifeline', x1: x, y1: y0 - o, x2: x, y2: y1 - o }));
    }
    for (const f of layout.folds) {
      if (f.y + f.height < y0 || f.y > y1) continue;
      bg.append(
        s('rect', { class: 'dg-fold', x: 0, y: f.y - o + 3, width, height: f.height - 6 }),
        s('text', { class: 'dg-fold-text', x: (clientX + serverX) / 2, y: f.y - o + f.height / 2 + 5, 'text-anchor': 'middle', 'data-fold': f.gap },
          `⋯ ${ctx.t('fold.idle', { gap: formatDuration(f.gap) })} ⋯`),
      );
    }
    for (const b of layout.brackets()) {
      if (b.y2 < y0 || b.y1 > y1) continue;
      const key = b.kind === 'handshake'
        ? (b.detail ? `bracket.handshake.${b.detail}` : 'bracket.handshake')
        : `bracket.teardown.${b.detail}`;
      const conn = layout.conn === null && ctx.multi ? ` #${b.conn}` : '';
      const full = ctx.t(key);
      const short = ctx.t(b.kind === 'handshake' ? 'bracket.short.handshake' : `bracket.short.teardown.${b.detail}`);
      const label = fitLabel([full + conn, full, short + conn, short], b.room);
      // The bracket opens towards the lifelines: ⎡ on the left, ⎤ on the right.
      const tick = b.side === 'left' ? 8 : -8;
      const tx = b.x - tick * 1.25;
      const by1 = b.y1 - o;
      const by2 = b.y2 - o;
      const mid = (by1 + by2) / 2;
      bg.append(s('g', { class: `dg-bracket dg-bracket-${b.kind}`, 'data-bracket': b.kind, 'data-conn': b.conn, 'data-label': full },
        s('title', null, full + conn),
        s('path', { d: `M ${b.x + tick} ${by1} H ${b.x} V ${by2} H ${b.x + tick}` }),
        s('text', { x: tx, y: mid, 'text-anchor': 'middle', 'dominant-baseline': 'central', transform: `rotate(-90 ${tx} ${mid})` }, label),
      ));
    }
  }

  /**
   * Draws the rows of the window around the view. The svg covers the view
   * and OVERSCAN_PX above and below; while the view stays inside that window
   * nothing is redrawn (the browser just scrolls what is there), so most
   * scroll frames cost no DOM work at all.
   */
  function render(force = false) {
    if (!layout) return;
    const n = layout.count;
    const rh = layout.rowHeight;
    // Read the scroll position once, before this drawing changes the DOM
    // (reading it after would make the browser lay the page out again).
    const scrollTop = scroller.scrollTop;
    const viewH = scroller.clientHeight || 800;
    mapping = scrollMapping(layout.height, viewH);
    if (mapping.ratio === 1) viewTop = scrollTop;
    const margin = OVERSCAN_PX / 4;
    if (!force && win && n === drawnCount && (viewTop - margin >= win[0] || win[0] <= 0)
      && (viewTop + viewH + margin <= win[1] || win[1] >= layout.height)) {
      place(scrollTop);
      return;
    }
    drawnCount = n;
    let r0;
    let r1;
    let y0;
    let y1;
    // Small timelines are drawn whole once they are complete (while rows
    // still arrive, drawing them all at every batch would be wasted work).
    if (n <= DRAW_ALL_BELOW && complete) {
      r0 = 0;
      r1 = n;
      y0 = 0;
      y1 = layout.height;
    } else {
      y0 = Math.max(0, viewTop - OVERSCAN_PX);
      y1 = Math.min(layout.height, viewTop + viewH + OVERSCAN_PX);
      r0 = layout.firstRowBelow(y0, rh);
      r1 = layout.firstRowBelow(y1, 0);
    }
    const newOrigin = Math.floor(y0 / ORIGIN_STEP) * ORIGIN_STEP;
    if (newOrigin !== origin) {
      // Rows drawn against the old origin are drawn again.
      origin = newOrigin;
      clearRows();
    }
    const w = layout.lanes.width;
    svg.setAttribute('viewBox', `0 ${y0 - origin} ${w} ${Math.max(1, y1 - y0)}`);
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(Math.max(1, y1 - y0)));
    spacer.style.height = `${mapping.scrollHeight}px`;
    spacer.style.width = `${w}px`;
    for (const [row, g] of drawn) {
      if (row < r0 || row >= r1) { g.remove(); drawn.delete(row); placeholders.delete(row); }
    }
    // Insert in row order so that the DOM order (and a printed page) follows time.
    let before = null;
    for (let i = r1 - 1; i >= r0; i--) {
      let g = drawn.get(i);
      if (!g) {
        g = rowElement(i);
        drawn.set(i, g);
        rowsG.insertBefore(g, before);
      }
      before = g;
    }
    range = [r0, r1];
    win = [y0, y1];
    place(scrollTop);
    if (r1 > r0) onRows?.(r0, r1);
    svg.setAttribute('data-rows-from', String(r0));
    svg.setAttribute('data-rows-to', String(r1));
    drawBackground(y0, y1);
  }

  /** Puts the svg (which covers win in drawing coordinates) under the view. */
  function place(scrollTop) {
    svg.style.top = `${(scrollTop + (win[0] - viewTop)).toFixed(2)}px`;
  }

  return {
    svg,
    get range() { return range; },
    /** The view's top in the svg's coordinates (for the export). */
    get viewTop() { return viewTop - origin; },
    /**
     * A new layout (filters, mode, width or language changed): redraw from
     * scratch. `isComplete` is false while rows are still being appended.
     */
    setLayout(newLayout, newCtx, isComplete = true) {
      layout = newLayout;
      ctx = newCtx;
      complete = isComplete;
      clearRows();
      selectedRow = -1;
      win = null;
      if (mapping.ratio !== 1) viewTop = 0;
      drawHeader();
      if (!layout) {
        bg.replaceChildren();
        spacer.style.height = '0px';
        return;
      }
      render();
    },
    /** Rows were appended to the current layout (a timeline still arriving). */
    grow() {
      schedule();
    },
    /** Scrolls to the end of the drawing (a live page following the newest row). */
    revealEnd() {
      if (!layout) return;
      mapping = scrollMapping(layout.height, scroller.clientHeight);
      spacer.style.height = `${mapping.scrollHeight}px`;
      scrollToContent(layout.height);
      render(true);
    },
    /** Events of rows drawn as "loading" have arrived: draw those rows again. */
    refreshPlaceholders() {
      for (const row of placeholders) { drawn.get(row)?.remove(); drawn.delete(row); }
      placeholders.clear();
      render(true);
    },
    refreshHeader(newCtx) {
      ctx = newCtx;
      drawHeader();
      bg.replaceChildren();
      render(true);
    },
    render,
    setSelected(row) {
      if (selectedRow === row) return;
      drawn.get(selectedRow)?.classList.remove('dg-current');
      selectedRow = row;
      drawn.get(row)?.classList.add('dg-current');
    },
    /** Scrolls so that row i is in view; centred when `center`. */
    reveal(i, center = true) {
      if (!layout || i < 0 || i >= layout.count) return;
      const top = layout.top(i);
      const viewH = scroller.clientHeight;
      mapping = scrollMapping(layout.height, viewH);
      spacer.style.height = `${mapping.scrollHeight}px`;
      if (!center && top >= viewTop && top + layout.rowHeight <= viewTop + viewH) return;
      scrollToContent(top - viewH / 2 + layout.rowHeight / 2);
      render(true);
    },
  };
}
