// The page's state and settings: what is open, the language, the theme, the
// filters, the layout and the selection; the URL's parameters and what the
// browser remembers between visits. Every other page module reads and
// writes `state` here (app.js documents which module does what).

import { translate, pickLanguage } from './i18n.js';
import { normalizeCriteria } from './filter.js';

export const $ = (id) => document.getElementById(id);

export function stored(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}
export function store(key, value) {
  try { localStorage.setItem(key, value); } catch { /* file:// or private mode: not kept */ }
}

export const params = new URLSearchParams(location.search);

export const state = {
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

/** An interface string in the page's language. */
export const t = (key, p) => translate(state.lang, key, p);

// Past this many segments the page stops reading and says to use `tcpviz
// serve` (which keeps the timeline and sends the page what is on screen):
// about a gigabyte of this page's columns, near what a browser tab may hold.
export const MAX_STATIC_EVENTS = Number(params.get('max_events')) || 4_000_000;
