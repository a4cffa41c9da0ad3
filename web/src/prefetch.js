// A classic script in <head>: starts fetching ?timeline= at once, while the
// page's modules are still loading, so that a big timeline's first bytes are
// there when the loader (loader.js) asks for them.
(() => {
  const wanted = new URLSearchParams(location.search).get('timeline');
  if (!wanted) return;
  try {
    const href = new URL(wanted, location.href).href;
    window.tcpvizPrefetch = { href, response: fetch(href).catch((error) => ({ error })) };
  } catch {
    // not a URL: the loader reports it
  }
})();
