// The layers of the selected segment, nested as in the layers lesson:
// link layer → IP → TCP (+ options) → payload, each field named as
// `tcpviz analyze --format layers` names it (analyzer/layer_names.json).
//
// A static page has only the timeline, which keeps the TCP fields, the
// endpoints and a payload preview, not the frame's bytes. So this view is
// rebuilt from those fields and says so: what the timeline does not keep
// (MAC addresses, TTL, checksums) shows as "—", and the view names the
// command that prints the capture's own bytes, field by field.

import { h } from './dom.js';
import { LAYER_NAMES } from './layer-names.js';
import { tcpHeaderBytes } from './headerbytes.js';

const LINK_LAYERS = Object.freeze({
  EN10MB: 'ethernet', LINUX_SLL: 'linux_sll', LINUX_SLL2: 'linux_sll2', NULL: 'bsd_loopback', LOOP: 'bsd_loopback',
});
const LINK_FIELDS = Object.freeze({
  ethernet: ['eth.dst', 'eth.src', 'eth.type'],
  linux_sll: ['sll.pkttype', 'sll.hatype', 'sll.src', 'sll.etype'],
  linux_sll2: ['sll.etype', 'sll.ifindex', 'sll.pkttype', 'sll.src'],
  bsd_loopback: ['null.family'],
});
// The link header's protocol field is known from the IP version that follows it.
const ETHERTYPE_FIELDS = new Set(['eth.type', 'sll.etype']);

const known = (v) => v !== null && v !== undefined && v !== '';

/**
 * The layers of event `e` as plain data: [{ kind, depth, type?, fields: [{ id, value }] }],
 * value null where the timeline does not keep the field. `conn` is the
 * connection summary (endpoints), `linkType` the timeline's source.link_type.
 */
export function segmentLayers(e, conn, linkType) {
  const layers = [];
  let depth = 0;
  const c2s = e.dir !== 's2c';
  const from = c2s ? conn?.client : conn?.server;
  const to = c2s ? conn?.server : conn?.client;
  const v6 = String(from?.ip ?? '').includes(':');
  const link = LINK_LAYERS[linkType];
  if (link) {
    const ethertype = v6 ? '0x86dd (IPv6)' : '0x0800 (IPv4)';
    layers.push({ kind: link, depth, fields: LINK_FIELDS[link].map((id) => ({ id, value: ETHERTYPE_FIELDS.has(id) ? ethertype : null })) });
    depth += 1;
  }
  const p = v6 ? 'ipv6' : 'ip';
  layers.push({
    kind: v6 ? 'ipv6' : 'ipv4',
    depth,
    fields: [
      { id: `${p}.version`, value: v6 ? 6 : 4 },
      { id: v6 ? 'ipv6.hlim' : 'ip.ttl', value: null },
      { id: v6 ? 'ipv6.nxt' : 'ip.proto', value: '6 (TCP)' },
      { id: `${p}.src`, value: from?.ip ?? null },
      { id: `${p}.dst`, value: to?.ip ?? null },
    ],
  });
  depth += 1;
  const { headerLength } = tcpHeaderBytes(e, conn);
  const flags = Array.isArray(e.flags) ? e.flags : [];
  layers.push({
    kind: 'tcp',
    depth,
    fields: [
      { id: 'tcp.srcport', value: from?.port ?? null },
      { id: 'tcp.dstport', value: to?.port ?? null },
      { id: 'tcp.seq_raw', value: e.seq_raw ?? null },
      { id: 'tcp.ack_raw', value: e.ack_raw ?? null },
      { id: 'tcp.hdr_len', value: `${headerLength / 4} (${headerLength / 4} × 4 = ${headerLength})` },
      { id: 'tcp.flags', value: flags.join(',') || '—' },
      { id: 'tcp.window_size_value', value: e.win_raw ?? null },
      { id: 'tcp.checksum', value: null },
    ],
  });
  const o = e.options && typeof e.options === 'object' ? e.options : {};
  const list = Array.isArray(o.list) ? o.list.filter((x) => x && Number.isInteger(x.kind)) : [];
  for (const entry of list) layers.push({ kind: 'tcp_option', depth: depth + 1, type: entry.kind, fields: optionFields(entry, o) });
  if (Number.isFinite(e.len) && e.len > 0) {
    layers.push({ kind: 'payload', depth: depth + 1, length: e.len, fields: [{ id: 'tcp.payload', value: typeof e.payload === 'string' ? e.payload : null }] });
  }
  return layers;
}

function optionFields(entry, o) {
  const fields = [{ id: 'tcp.option_kind', value: entry.kind }];
  if (entry.kind > 1) fields.push({ id: 'tcp.option_len', value: entry.len ?? null });
  if (entry.kind === 2) fields.push({ id: 'tcp.options.mss_val', value: o.mss ?? null });
  if (entry.kind === 3) fields.push({ id: 'tcp.options.wscale.shift', value: o.ws ?? null });
  if (entry.kind === 8 && Array.isArray(o.ts)) {
    fields.push({ id: 'tcp.options.timestamp.tsval', value: o.ts[0] ?? null }, { id: 'tcp.options.timestamp.tsecr', value: o.ts[1] ?? null });
  }
  if (entry.kind === 5 && Array.isArray(o.sack)) {
    // The timeline keeps SACK edges relative to the peer's ISN, as Wireshark shows them.
    for (const block of o.sack.filter(Array.isArray)) {
      fields.push({ id: 'tcp.options.sack_le', value: block[0] ?? null, relative: true }, { id: 'tcp.options.sack_re', value: block[1] ?? null, relative: true });
    }
  }
  return fields;
}

function title(lang, layer) {
  const names = LAYER_NAMES[lang] ?? LAYER_NAMES.en;
  const base = names.layers[layer.kind] ?? layer.kind;
  if (layer.kind === 'tcp_option') return `${base}: ${names.tcp_options[layer.type] ?? `kind ${layer.type}`}`;
  return base;
}

/** The section for the details pane. `source` is the timeline's source ({file, link_type}). */
export function layersView(t, lang, e, conn, source) {
  const names = LAYER_NAMES[lang] ?? LAYER_NAMES.en;
  const layers = segmentLayers(e, conn, source?.link_type);
  const boxes = layers.map((layer) => h('div', { class: `layer layer-depth-${Math.min(layer.depth, 4)}`, 'data-layer': layer.kind },
    h('div', { class: 'layer-title' }, title(lang, layer),
      layer.kind === 'payload' ? ` · ${t('layers.payload_len', { n: layer.length })}` : null),
    h('table', { class: 'fields layer-fields' }, h('tbody', null, layer.fields.map((f) => h('tr', { 'data-field-id': f.id },
      // The Wireshark display-filter name, on hover: the same field in Wireshark.
      h('th', { scope: 'row', title: f.id }, names.fields[f.id] ?? f.id),
      h('td', { class: known(f.value) ? 'mono' : 'mono missing' },
        known(f.value) ? `${f.value}${f.relative ? ` ${t('layers.relative')}` : ''}` : '—')))))));
  const file = typeof source?.file === 'string' && source.file !== '' ? source.file : 'CAPTURE';
  return h('section', { class: 'layers-view' },
    h('h3', null, t('layers.title')),
    h('p', { class: 'hint' }, t('layers.reconstructed')),
    h('p', { class: 'hint' }, t('layers.command'), ' ',
      h('code', { class: 'mono' }, `tcpviz analyze ${file} --format layers --frame ${e.frame}`)),
    boxes);
}
