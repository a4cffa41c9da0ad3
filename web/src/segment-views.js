// The two views the details pane adds under a segment's fields: its layers
// (layers-view.js) and, on request, its connection's stream (stream-view.js).
// The stream stays open from one selected segment to the next of the same
// connection, with the selected segment's bytes marked.

import { h, replaceChildren } from './dom.js';
import { layersView } from './layers-view.js';
import { streamView, connectionEvents } from './stream-view.js';

let openConn = null;  // the connection whose stream is shown, or null

function fillStream(box, t, lang, e, conn, events, source) {
  const { events: list, more } = connectionEvents(events, e.conn);
  replaceChildren(box, streamView(t, lang, conn, list, { more, file: source?.file || 'CAPTURE' }));
  for (const el of box.querySelectorAll(`[data-frame="${Number(e.frame)}"]`)) el.classList.add('stream-current');
}

/**
 * Nodes for the details pane of event `e`. `events` is the page's event store
 * (absent, or windowed when served: then the stream is left to the command).
 */
export function segmentViews(t, lang, e, conn, { events, source } = {}) {
  const usable = events && !events.windowed && Number.isInteger(e.conn);
  const box = h('div', { class: 'stream-box' });
  const button = h('button', { type: 'button', class: 'follow-stream', disabled: !usable },
    t('stream.follow', { conn: e.conn ?? '?' }));
  button.addEventListener('click', () => {
    if (openConn === e.conn) {
      openConn = null;
      replaceChildren(box);
      return;
    }
    openConn = e.conn;
    fillStream(box, t, lang, e, conn, events, source);
  });
  if (usable && openConn === e.conn) fillStream(box, t, lang, e, conn, events, source);
  return [
    layersView(t, lang, e, conn, source),
    h('section', { class: 'follow' }, h('h3', null, t('stream.heading')),
      usable ? null : h('p', { class: 'hint' }, t('stream.unavailable')),
      button, box),
  ];
}
