// What the page says around the diagram: its static text in the chosen
// language, the theme and projector mode, the page's state for styles and
// tests, the notice banner and the error message.

import { LANGUAGES } from './strings.js';
import { TimelineError } from './timeline.js';
import { h, replaceChildren } from './dom.js';
import { renderDetails } from './details.js';
import { $, state, t, store } from './pagestate.js';
import {
  playback, rebuild, updateConnections, updateCharts, updateStatus, showDetails,
} from './view.js';

export function applyStaticText() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = state.name ? `${state.name} — ${t('app.title')}` : t('app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  $('lang').value = state.lang;
  $('theme').textContent = state.theme === 'dark' ? '☀' : '☾';
  $('theme').title = t(state.theme === 'dark' ? 'theme.light' : 'theme.dark');
  $('play').title = t(playback.playing ? 'play.pause' : 'play.play');
}

/** Projector mode: larger type in the diagram and the details (kept for next time). */
export function setProjector(on) {
  document.body.classList.toggle('projector', on);
  $('projector').setAttribute('aria-pressed', String(on));
  store('tcpviz.projector', on ? '1' : '0');
  if (state.layout) rebuild();
}

export function setTheme(theme) {
  state.theme = theme;
  document.documentElement.dataset.theme = theme;
  store('tcpviz.theme', theme);
  applyStaticText();
  if (state.timeline) { state.chartsConn = undefined; updateCharts(); }
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  state.lang = lang;
  store('tcpviz.lang', lang);
  applyStaticText();
  // The details pane follows too: the hint when nothing is selected.
  showDetails();
  if (!state.timeline) return;
  rebuild();
  updateConnections();
  state.chartsConn = undefined;
  updateCharts();
  updateStatus();
}

/** The page's state for styles and tests: empty, loading, ready or error. */
export function setPageState(s) {
  document.body.dataset.state = s;
}

/** A banner under the toolbar (the aggregate notice of a live page, a partial load). */
export function showNotice(text) {
  $('notice').textContent = text ?? '';
  $('notice').hidden = !text;
}

export function showError(err) {
  const code = err instanceof TimelineError ? err.code : 'fetch';
  const detail = err instanceof TimelineError ? err.detail : String(err?.message ?? err);
  const key = code === 'too_big' ? 'load.too_big' : `error.${code}`;
  state.loading = false;
  setPageState('error');
  const box = $('message');
  replaceChildren(box, h('h2', null, t('error.title')), h('p', { 'data-error': code }, t(key, { detail })));
  box.hidden = false;
  $('status').textContent = '';
}

/** The details pane with nothing selected (its hint). */
export function clearDetails() {
  renderDetails($('details'), null, { t, lang: state.lang });
}
