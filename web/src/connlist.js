// The connection list: one button per connection with its summary, and one
// for all connections. Choosing one filters the diagram and picks the charts.

import { h, replaceChildren } from './dom.js';
import { connectionSummary } from './summary.js';
import { formatBytes, formatCount } from './format.js';
import { tagGroup } from './tags.js';
import { countText } from './i18n.js';

export function renderConnectionList(root, connections, { selected, t, onChoose, totalSegments }) {
  const items = [];
  const allItem = h('li', null, h('button', {
    type: 'button', class: `conn${selected === null ? ' selected' : ''}`, 'data-conn': 'all', 'aria-pressed': String(selected === null),
  }, h('span', { class: 'conn-title' }, t('filter.all')),
  h('span', { class: 'conn-line' }, countText(t, 'count.segments', totalSegments, formatCount))));
  items.push(allItem);
  for (const c of connections) {
    if (!c || typeof c !== 'object') continue;
    const sm = connectionSummary(c);
    const button = h('button', {
      type: 'button', class: `conn${selected === sm.id ? ' selected' : ''}`, 'data-conn': sm.id, 'aria-pressed': String(selected === sm.id),
    },
    h('span', { class: 'conn-title' }, `#${sm.id} `, h('span', { class: 'mono' }, `${sm.client} → ${sm.server}`)),
    h('span', { class: 'conn-line' },
      sm.rttMs !== null ? t('conns.rtt', { ms: sm.rttMs.toFixed(3) }) : t(sm.handshakeCaptured ? 'conns.no_rtt' : 'conns.no_handshake'),
      ' · ', countText(t, 'count.segments', sm.segments, formatCount),
      ' · ', t('conns.ends', { kind: t(`teardown.${sm.teardown}`) })),
    h('span', { class: 'conn-line' }, t('conns.bytes', { c2s: formatBytes(sm.bytesC2S), s2c: formatBytes(sm.bytesS2C) })),
    sm.tags.length ? h('span', { class: 'conn-tags' }, sm.tags.map((tag) => h('span', { class: `tag tag-${tagGroup(tag.name)}` }, `${t(`tag.${tag.name}`)} ${tag.count}`))) : null);
    items.push(h('li', null, button));
  }
  replaceChildren(root, ...items);
  root.onclick = (ev) => {
    const b = ev.target.closest?.('button[data-conn]');
    if (!b) return;
    const v = b.getAttribute('data-conn');
    onChoose(v === 'all' ? null : Number(v));
  };
}
