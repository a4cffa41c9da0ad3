// A classic script (not a module) that makes index.html work opened from disk.
// Chromium does not run module scripts from file:// URLs, so there the page
// falls back to dist/tcpviz.js, the same code bundled into one classic script
// by build.mjs. If that is missing too (not built), or the page did not start
// for another reason, it says what to do instead of leaving a blank page.
window.addEventListener('load', () => {
  if (window.tcpvizBooted) return;
  const help = () => { document.getElementById('no-modules').hidden = false; };
  if (location.protocol !== 'file:') {
    setTimeout(() => { if (!window.tcpvizBooted) help(); }, 1500);
    return;
  }
  const script = document.createElement('script');
  script.src = 'dist/tcpviz.js';
  script.onload = () => { if (!window.tcpvizBooted) help(); };
  script.onerror = help;
  document.body.appendChild(script);
});
