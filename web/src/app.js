// The page's entry: sets the theme, wires the controls and opens what the
// URL or the report names. The page is split by job:
//
//   pagestate.js  the state, the URL's parameters, what the browser remembers
//   view.js       the diagram, playback, selection, status, connection list, charts
//   pagetext.js   static text in the chosen language, theme, projector, notices, errors
//   pageload.js   opening a timeline (URL, file, report) into the event store
//   controls.js   toolbar, keys, drop, resize
//   served.js     the interface sources.js drives when served by `tcpviz serve`
//
// Each of those uses the others only inside functions, never while the
// modules are being evaluated, so the order they load in does not matter.

import { loadUrl, loadText, embeddedTimeline } from './loader.js';
import { openWindowed, openLive } from './sources.js';
import { $, state, params, stored } from './pagestate.js';
import { applyStaticText, setProjector, setPageState, clearDetails } from './pagetext.js';
import { load } from './pageload.js';
import { wireControls } from './controls.js';
import { serverApp } from './served.js';

/** The workspace fills the screen under the header (whose height depends on wrapping and notices). */
function trackHeaderHeight() {
  const set = () => {
    const h = $('header').offsetHeight + ($('notice').hidden ? 0 : $('notice').offsetHeight);
    document.documentElement.style.setProperty('--head-h', `${h}px`);
  };
  const ro = new ResizeObserver(set);
  ro.observe($('header'));
  ro.observe($('notice'));
  set();
}

/** Opens what the page was asked for: live, a served session, the report's timeline or ?timeline=URL. */
function openSource() {
  const embedded = embeddedTimeline(document);
  const url = params.get('timeline');
  if (params.get('live') === '1') {
    openLive(serverApp);
  } else if (params.get('session') !== null) {
    openWindowed(serverApp, params.get('session'));
  } else if (embedded !== null) {
    load((hd) => loadText(embedded, hd), params.get('name') ?? 'report');
  } else if (url) {
    load((hd) => loadUrl(new URL(url, location.href).href, hd), url.split('/').pop() || url);
  }
}

function start() {
  performance.mark('tcpviz:start');
  document.documentElement.dataset.theme = state.theme;
  wireControls();
  setProjector((params.get('projector') ?? stored('tcpviz.projector')) === '1');
  trackHeaderHeight();
  applyStaticText();
  clearDetails();
  setPageState('empty');
  openSource();
  window.tcpvizBooted = true;
}

start();
