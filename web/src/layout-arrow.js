// One row of the ladder diagram (layout.js): a segment's arrow from the
// sender's lifeline to the receiver's, its label, payload, analysis tags and
// the TCP state changes it caused, as numbers and strings for diagram.js.

import { GEOMETRY } from './layout-geometry.js';
import { segmentLabel, segmentKind, payloadLabel } from './labels.js';
import { sortedTags, tagGroup } from './tags.js';

/** The arrow's head at (x2, y2): a triangle, and where the shaft stops. */
function arrowHead(x1, y1, x2, y2) {
  const g = GEOMETRY;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = x2 - ux * g.headLength;
  const by = y2 - uy * g.headLength;
  return {
    base: [bx, by],
    points: [[x2, y2], [bx - uy * g.headWidth, by + ux * g.headWidth], [bx + uy * g.headWidth, by - ux * g.headWidth]],
  };
}

/**
 * The state changes of a segment, each beside its side's lifeline: at the
 * arrow's start for the sender, at its head for the receiver, stacked.
 */
function stateMarks(states, c2s, lanes, y1, y2) {
  const g = GEOMETRY;
  const marks = [];
  const perSide = { client: 0, server: 0 };
  for (const s of Array.isArray(states) ? states : []) {
    if (!s || (s.side !== 'client' && s.side !== 'server')) continue;
    const sender = (s.side === 'client') === c2s;
    const n = perSide[s.side]++;
    marks.push({
      side: s.side,
      from: typeof s.from === 'string' ? s.from : '',
      to: typeof s.to === 'string' ? s.to : '',
      x: s.side === 'client' ? lanes.clientX - 8 : lanes.serverX + 8,
      y: (sender ? y1 : y2) + 4 + n * g.stateStep,
      dotY: sender ? y1 : y2,
      anchor: s.side === 'client' ? 'end' : 'start',
    });
  }
  return marks;
}

/**
 * Everything needed to draw event `e` in row `row` (showing event `index`)
 * whose top is `rowTop`, between `lanes` (laneX); `raw` numbers or relative
 * ones in the label, and the connection named when `nameConn`.
 */
export function segmentArrow(e, { row, index, rowTop, lanes, raw, nameConn }) {
  const g = GEOMETRY;
  const c2s = e.dir !== 's2c';
  const x1 = c2s ? lanes.clientX : lanes.serverX;
  const x2 = c2s ? lanes.serverX : lanes.clientX;
  const y1 = rowTop + g.arrowTop;
  const y2 = y1 + g.arrowDrop;
  const head = arrowHead(x1, y1, x2, y2);
  const tags = sortedTags(e.analysis);
  const span = lanes.serverX - lanes.clientX;
  return {
    row,
    index,
    frame: e.frame,
    conn: e.conn,
    dir: c2s ? 'c2s' : 's2c',
    kind: segmentKind(e),
    top: rowTop,
    x1, y1, x2, y2,
    line: [x1, y1, head.base[0], head.base[1]],
    head: head.points,
    label: segmentLabel(e, { raw }),
    labelX: (x1 + x2) / 2,
    labelY: rowTop + g.labelBaseline,
    payload: payloadLabel(e, Math.max(12, Math.floor((span * 0.5) / 7.6))),
    payloadX: x1 + (c2s ? 14 : -14),
    payloadAnchor: c2s ? 'start' : 'end',
    payloadY: rowTop + g.payloadBaseline,
    tags,
    tagGroup: tags.length ? tagGroup(tags[0]) : null,
    tagsX: x2 + (c2s ? -14 : 14),
    tagsAnchor: c2s ? 'end' : 'start',
    tagsY: rowTop + g.payloadBaseline,
    frameText: `#${e.frame}`,
    timeText: Number.isFinite(e.t) ? e.t.toFixed(6) : '',
    connText: nameConn ? `c${e.conn}` : '',
    gutterX: 8,
    states: stateMarks(e.states, c2s, lanes, y1, y2),
    problem: Boolean(e.truncated || e.malformed),
  };
}
