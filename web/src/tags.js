// The analysis tags (Wireshark's tcp.analysis.* names) and how the page groups
// them for colour: loss and repair in red, duplicate ACKs in orange, flow
// control in purple, the rest (keep-alives, window updates, reused ports) in
// teal. The order is the order of importance: the first tag of a segment in
// this order gives its arrow its colour.

export const TAG_GROUPS = {
  retransmission: 'loss',
  fast_retransmission: 'loss',
  spurious_retransmission: 'loss',
  lost_segment: 'loss',
  ack_lost_segment: 'loss',
  out_of_order: 'loss',
  duplicate_ack: 'dup',
  zero_window: 'flow',
  zero_window_probe: 'flow',
  zero_window_probe_ack: 'flow',
  window_full: 'flow',
  window_update: 'info',
  keep_alive: 'info',
  keep_alive_ack: 'info',
  reused_ports: 'info',
};

export const TAG_ORDER = Object.keys(TAG_GROUPS);

/** The colour group of a tag name; "info" for names this page does not know. */
export function tagGroup(name) {
  return Object.hasOwn(TAG_GROUPS, name) ? TAG_GROUPS[name] : 'info';
}

/** The event's tags, most important first; unknown names keep their order at the end. */
export function sortedTags(analysis) {
  if (!Array.isArray(analysis) || analysis.length === 0) return [];
  const names = analysis.filter((a) => typeof a === 'string');
  const rank = (a) => { const i = TAG_ORDER.indexOf(a); return i < 0 ? TAG_ORDER.length : i; };
  return names.map((a, i) => [a, i]).sort((x, y) => rank(x[0]) - rank(y[0]) || x[1] - y[1]).map((p) => p[0]);
}
