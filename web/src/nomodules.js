// A classic script (not a module): if the page's modules did not start, say
// why instead of leaving a blank page. Chromium refuses module scripts from
// file:// URLs; dist/index.html (one file, built by build.mjs) opens from disk.
window.addEventListener('load', () => {
  setTimeout(() => {
    if (!window.tcpvizBooted) document.getElementById('no-modules').hidden = false;
  }, 1500);
});
