// The details pane: every field of the selected segment, its options, the
// sentence that explains it, the state changes it caused and its header
// bytes. Every value from the timeline is set as text.

import { h, replaceChildren } from './dom.js';
import { renderNote } from './notes.js';
import { tcpHeaderBytes, OPTION_NAMES } from './headerbytes.js';
import { sortedTags, tagGroup } from './tags.js';
import { formatTime, formatEndpoint } from './format.js';
import { segmentViews } from './segment-views.js';

const show = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));

function relRaw(t, rel, raw) {
  if (!Number.isFinite(rel) && !Number.isFinite(raw)) return '—';
  return t('value.rel_raw', { rel: show(rel), raw: show(raw) });
}

function row(label, value, attrs = {}) {
  return h('tr', attrs, h('th', { scope: 'row' }, label), h('td', null, value));
}

function optionRows(t, o) {
  const rows = [];
  if (!o || typeof o !== 'object') return rows;
  if (Number.isFinite(o.mss)) rows.push(row(t('opt.mss'), String(o.mss)));
  if (Number.isFinite(o.ws)) rows.push(row(t('opt.ws'), `${o.ws} (×${2 ** Math.min(o.ws, 14)})`));
  if (o.sack_perm) rows.push(row(t('opt.sack_perm'), t('details.yes')));
  if (Array.isArray(o.sack) && o.sack.length) {
    rows.push(row(t('opt.sack'), o.sack.filter(Array.isArray).map(([l, r]) => `${show(l)}–${show(r)}`).join(', ')));
  }
  if (Array.isArray(o.ts)) rows.push(row(t('opt.ts'), `${show(o.ts[0])}, ${show(o.ts[1])}`));
  if (Array.isArray(o.list) && o.list.length) {
    rows.push(row(t('opt.list'), o.list.filter((x) => x && typeof x === 'object')
      .map((x) => `${OPTION_NAMES[x.kind] ?? `kind ${show(x.kind)}`}${x.valid === false ? '!' : ''}(${show(x.len)})`).join(' ')));
  }
  return rows;
}

function byteView(t, e, conn) {
  const { bytes, fields } = tcpHeaderBytes(e, conn);
  const owner = new Array(bytes.length).fill(-1);
  fields.forEach((f, k) => { for (let i = f.start; i < f.end && i < bytes.length; i++) owner[i] = k; });
  const grid = h('div', { class: 'bytes-grid', role: 'table' });
  for (let i = 0; i < bytes.length; i += 4) {
    const line = h('div', { class: 'bytes-row', role: 'row' }, h('span', { class: 'bytes-offset' }, String(i).padStart(2, '0')));
    for (let j = i; j < i + 4 && j < bytes.length; j++) {
      const b = bytes[j];
      const f = fields[owner[j]];
      line.append(h('span', {
        class: `byte field-${owner[j] % 8}`,
        title: f ? t(`byte.${f.key}`) : '',
        'data-field': owner[j],
        role: 'cell',
      }, b === null ? '··' : b.toString(16).padStart(2, '0')));
    }
    grid.append(line);
  }
  const legend = h('ul', { class: 'bytes-legend' }, fields.map((f, k) => h('li', { class: `field-${k % 8}`, 'data-field': k },
    h('span', { class: 'swatch' }),
    `${t(`byte.${f.key}`)}${f.name && f.key === 'option' ? ` ${f.name}` : ''}: `,
    h('span', { class: 'mono' }, show(f.value)))));
  return [grid, legend];
}

/** Fills `root` with the details of event `e` (or the empty hint when e is null). */
export function renderDetails(root, e, { conn, t, lang, events, source }) {
  if (!e) {
    replaceChildren(root, h('p', { class: 'details-empty' }, t('details.empty')));
    return;
  }
  const c2s = e.dir !== 's2c';
  const from = c2s ? conn?.client : conn?.server;
  const to = c2s ? conn?.server : conn?.client;
  const tags = sortedTags(e.analysis);
  const states = Array.isArray(e.states) ? e.states.filter((x) => x && typeof x === 'object') : [];

  let scale = show(e.win_scale);
  const isSyn = Array.isArray(e.flags) && e.flags.includes('SYN');
  const offered = e.options && Number.isFinite(e.options.ws) ? e.options.ws : null;
  // A SYN's own window is never scaled, but the scale it offers is what the
  // windows after it mean (RFC 7323 2.2): say that, not "not negotiated".
  if (isSyn && offered !== null) scale = t('value.scale_offered', { shift: offered, factor: 2 ** Math.min(offered, 14) });
  else if (e.win_scale === -1) scale = t('value.scale_unknown');
  else if (e.win_scale === -2) scale = t('value.scale_none');

  const fields = h('table', { class: 'fields' }, h('tbody', null,
    row(t('field.frame'), show(e.frame), { 'data-field': 'frame' }),
    row(t('field.time'), formatTime(e.t)),
    row(t('field.conn'), `#${show(e.conn)}`),
    row(t('field.dir'), `${t(c2s ? 'dir.c2s' : 'dir.s2c')} (${formatEndpoint(from)} → ${formatEndpoint(to)})`),
    row(t('field.flags'), Array.isArray(e.flags) && e.flags.length ? e.flags.join(', ') : '—'),
    // The reserved bits are how a crafted or injected segment gives itself away.
    Number.isInteger(e.reserved) && e.reserved !== 0
      ? row(t('field.reserved'), t('value.reserved', { bits: e.reserved.toString(2).padStart(3, '0') }),
        { 'data-field': 'reserved', class: 'warn' }) : null,
    row(t('field.seq'), relRaw(t, e.seq, e.seq_raw)),
    row(t('field.ack'), relRaw(t, e.ack, e.ack_raw)),
    row(t('field.len'), show(e.len)),
    row(t('field.win'), show(e.win)),
    row(t('field.win_raw'), show(e.win_raw)),
    row(t('field.win_scale'), scale),
    row(t('field.analysis'), tags.length ? tags.map((a) => h('span', { class: `tag tag-${tagGroup(a)}` }, t(`tag.${a}`))) : '—'),
    e.dup_ack && typeof e.dup_ack === 'object'
      ? row(t('field.dup_ack'), t('value.dup_ack', { num: show(e.dup_ack.num), of: show(e.dup_ack.of) })) : null,
    row(t('field.in_flight'), show(e.in_flight)),
    Number.isFinite(e.acks_frame) ? row(t('field.acks_frame'), `#${e.acks_frame}`) : null,
    Number.isFinite(e.ack_rtt) ? row(t('field.ack_rtt'), t('value.ms', { ms: (e.ack_rtt * 1000).toFixed(3) })) : null,
    row(t('field.payload'), typeof e.payload === 'string' && e.payload !== '' ? h('span', { class: 'mono payload' }, e.payload) : '—'),
    row(t('field.phase'), typeof e.phase === 'string' ? t(`phase.${e.phase}`) : '—'),
    e.truncated ? row(t('field.truncated'), t('details.yes')) : null,
    e.malformed ? row(t('field.malformed'), t('details.yes')) : null,
    e.problem !== undefined && e.problem !== null ? row(t('field.problem'), show(typeof e.problem === 'object' ? JSON.stringify(e.problem) : e.problem)) : null,
  ));

  const options = optionRows(t, e.options);
  replaceChildren(root,
    h('h2', { class: 'details-title', 'data-frame-shown': show(e.frame) },
      `${t('details.title')} #${show(e.frame)} · ${t(c2s ? 'dir.c2s' : 'dir.s2c')}`),
    h('p', { class: 'note', lang }, renderNote(e, lang)),
    states.length ? h('section', null, h('h3', null, t('details.states')),
      h('ul', { class: 'states' }, states.map((st) => h('li', null, t('state.change', {
        side: t(st.side === 'server' ? 'side.server' : 'side.client'), from: show(st.from), to: show(st.to),
      }))))) : null,
    h('h3', null, t('details.fields')),
    fields,
    h('h3', null, t('details.options')),
    options.length ? h('table', { class: 'fields' }, h('tbody', null, options)) : h('p', null, t('details.no_options')),
    h('h3', null, t('details.bytes')),
    h('p', { class: 'hint' }, t('details.bytes_hint')),
    byteView(t, e, conn),
    segmentViews(t, lang, e, conn, { events, source }),
  );
}
