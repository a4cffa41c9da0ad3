// The charts under the diagram, drawn by uPlot for one connection:
// a time-sequence graph, windows and bytes in flight, and the kernel's cwnd
// and ssthresh when the timeline has kernel samples.

import uPlot from '../vendor/uPlot.esm.js';
import { h, replaceChildren } from './dom.js';
import { timeSequenceSeries, windowSeries, kernelSeries } from './series.js';

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

const points = (color, size = 5) => ({ show: true, size, stroke: color, fill: color, width: 0 });

/** 3200000 → "3.2M", 65536 → "65.5k": short tick labels that fit the axis. */
export function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(3));
}

function axes(t, yLabel) {
  const stroke = cssVar('--fg-muted');
  const grid = { stroke: cssVar('--grid'), width: 1 };
  return [
    { label: t('chart.time'), stroke, grid, ticks: grid },
    { label: yLabel, stroke, grid, ticks: grid, size: 64, values: (u, ticks) => ticks.map(compact) },
  ];
}

const CA_COLOUR = { recovery: '--c-dup', loss: '--c-loss', open: '--c-syn', disorder: '--c-flow', cwr: '--c-flow' };

/** The ca_state changes as vertical lines on the plot's canvas. */
function drawCaLines(u, changes) {
  const { ctx } = u;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  for (const c of changes) {
    const x = Math.round(u.valToPos(c.t, 'x', true));
    ctx.strokeStyle = cssVar(CA_COLOUR[c.to] ?? '--fg-muted');
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * Over each ca_state line, an element that says on hover what the change
 * means, with the state's initial on top; the same sentences listed below.
 */
function caText(c, t) {
  return t('chart.ca_change', {
    side: t(`side.${c.side}`), to: t(`ca.${c.to}`), t: c.t.toFixed(6), meaning: t(`ca.${c.to}.meaning`),
  });
}

function placeCaMarks(u, changes, t) {
  if (!u.over) return;
  for (const el of u.over.querySelectorAll('.ca-mark')) el.remove();
  for (const c of changes) {
    const el = h('div', { class: `ca-mark ca-${c.to}`, title: caText(c, t), 'data-ca': c.to, 'data-side': c.side }, t(`ca.${c.to}.short`));
    el.style.left = `${u.valToPos(c.t, 'x')}px`;
    u.over.append(el);
  }
}

function caMarks(u, changes, t) {
  if (changes.length === 0) return;
  placeCaMarks(u, changes, t);
  const list = h('ul', { class: 'ca-list' }, changes.map((c) => h('li', { class: `ca-${c.to}`, 'data-ca': c.to }, caText(c, t))));
  u.root.parentElement.append(list);
}

export function createCharts(root) {
  let plots = [];

  function destroy() {
    for (const p of plots) p.destroy();
    plots = [];
  }

  function chart(container, title, t, yLabel, series, columns, extra = {}) {
    const box = h('figure', { class: 'chart', 'data-chart': extra.name ?? '' }, h('figcaption', null, title));
    container.append(box);
    const avail = container.clientWidth - 8;
    // Two charts side by side on a wide screen, one per line otherwise.
    const width = Math.max(320, avail >= 1100 ? Math.floor((avail - 24) / 2) : Math.min(avail, 1100));
    const opts = {
      width,
      height: 230,
      scales: { x: { time: false } },
      axes: axes(t, yLabel),
      legend: { show: true },
      cursor: { drag: { x: true, y: true } },
      series: [{ label: t('chart.time'), value: (u, v) => (v === null ? '—' : v.toFixed(6)) }, ...series],
      ...extra.opts,
    };
    const plot = new uPlot(opts, columns, box);
    // What is drawn, for the tests that compare it with the timeline.
    box.plot = plot;
    plots.push(plot);
    return plot;
  }

  /**
   * cwnd and ssthresh of both ends: the client green, the server blue; cwnd a
   * solid line with a dot at every sample, ssthresh dashed. The kernel's
   * congestion states (Recovery, Loss, ...) are vertical lines, their meaning
   * on hover and listed under the chart.
   */
  function kernelChart(grid, t, ks) {
    const colour = { client: cssVar('--c-syn'), server: cssVar('--c-fin') };
    const step = { spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }) };
    const pad = (ks.range.x[1] - ks.range.x[0]) * 0.01 || 0.001;
    const plot = chart(grid, t('chart.kernel'), t, t('chart.segments'), ks.sides.flatMap((side) => [
      { label: t('chart.cwnd', { side: t(`side.${side}`) }), stroke: colour[side], width: 2.5, ...step, points: points(colour[side], 6) },
      { label: t('chart.ssthresh', { side: t(`side.${side}`) }), stroke: colour[side], width: 1.5, dash: side === 'client' ? [8, 4] : [2, 4], ...step, points: { show: false } },
    ]), ks.columns, {
      name: 'kernel',
      opts: {
        scales: {
          x: { time: false, range: () => [ks.range.x[0] - pad, ks.range.x[1] + pad] },
          y: { range: () => [0, Math.max(1, Math.ceil(ks.range.y[1] * 1.08))] },
        },
        hooks: { draw: [(u) => drawCaLines(u, ks.changes)], setScale: [(u) => placeCaMarks(u, ks.changes, t)] },
      },
    });
    caMarks(plot, ks.changes, t);
  }

  return {
    /** Draws the charts for connection `conn` with its events; clears them when conn is null. */
    show(conn, events, t) {
      destroy();
      root.replaceChildren();
      if (!conn || events.length === 0) {
        replaceChildren(root, h('p', { class: 'hint' }, t('charts.none')));
        return;
      }
      root.append(h('h2', null, t('charts.title', { id: conn.id })));
      const grid = h('div', { class: 'charts-grid' });
      root.append(grid);
      const ts = timeSequenceSeries(events);
      const noLine = { paths: () => null };
      chart(grid, t('chart.tsg', { dir: t(`dir.${ts.dir}`) }), t, t('chart.seq'), [
        { label: t('chart.data'), stroke: cssVar('--c-data'), ...noLine, points: points(cssVar('--c-data')) },
        { label: t('chart.retrans'), stroke: cssVar('--c-loss'), ...noLine, points: points(cssVar('--c-loss'), 8) },
        { label: t('chart.ack'), stroke: cssVar('--c-ack'), width: 1.5, spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } },
        { label: t('chart.edge'), stroke: cssVar('--c-flow'), width: 1, dash: [4, 4], spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } },
      ], ts.columns);
      const ws = windowSeries(events);
      const step = { spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } };
      chart(grid, t('chart.window'), t, t('chart.bytes'), [
        { label: t('chart.win_client'), stroke: cssVar('--c-syn'), width: 1.5, ...step },
        { label: t('chart.win_server'), stroke: cssVar('--c-fin'), width: 1.5, ...step },
        { label: t('chart.flight_c2s'), stroke: cssVar('--c-data'), width: 1, ...step },
        { label: t('chart.flight_s2c'), stroke: cssVar('--c-dup'), width: 1, ...step },
      ], ws.columns);
      const ks = kernelSeries(conn);
      if (ks) kernelChart(grid, t, ks);
    },
    destroy,
  };
}
