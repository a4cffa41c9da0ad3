// Export what is on screen (the lane header and the visible part of the
// diagram) as a standalone SVG, or as a PNG drawn from that SVG. Styles that
// come from the page's CSS are copied onto each element, so the file looks the
// same in an editor, a slide or another browser.

import { SVG_NS } from './dom.js';

const STYLE_PROPERTIES = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'font-family', 'font-size', 'font-weight', 'font-style', 'visibility',
];

function inlineStyles(live, copy) {
  const cs = getComputedStyle(live);
  const decl = STYLE_PROPERTIES.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
  copy.setAttribute('style', decl);
  const a = live.children;
  const b = copy.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i], b[i]);
}

/**
 * The SVG text of the visible diagram: `header` (the lane titles' svg) on top
 * of the part of `diagram` (the drawn svg) between top and
 * top + viewHeight (top: the view's top in the drawing's coordinates,
 * which is scrollTop unless the drawing is taller than a scroll area can be).
 */
export function visibleSvg({ header, diagram, scroller, background, top = scroller.scrollTop }) {
  const width = Number(diagram.getAttribute('width')) || diagram.clientWidth;
  const headH = Number(header.getAttribute('height')) || 0;
  const viewH = Math.min(scroller.clientHeight, Number(diagram.getAttribute('height')) || scroller.clientHeight);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(headH + viewH));
  out.setAttribute('viewBox', `0 0 ${width} ${headH + viewH}`);
  const bgRect = document.createElementNS(SVG_NS, 'rect');
  bgRect.setAttribute('width', '100%');
  bgRect.setAttribute('height', '100%');
  bgRect.setAttribute('fill', background);
  out.appendChild(bgRect);

  const headCopy = header.cloneNode(true);
  inlineStyles(header, headCopy);
  const headG = document.createElementNS(SVG_NS, 'g');
  headG.append(...headCopy.childNodes);
  out.appendChild(headG);

  // The diagram's content in its own coordinates (row tops in px), shifted up
  // to the scroll position and clipped to the view.
  const clip = document.createElementNS(SVG_NS, 'clipPath');
  clip.setAttribute('id', 'tcpviz-view');
  const clipRect = document.createElementNS(SVG_NS, 'rect');
  clipRect.setAttribute('x', '0');
  clipRect.setAttribute('y', String(top));
  clipRect.setAttribute('width', String(width));
  clipRect.setAttribute('height', String(viewH));
  clip.appendChild(clipRect);
  const defs = document.createElementNS(SVG_NS, 'defs');
  defs.appendChild(clip);
  out.appendChild(defs);
  const body = document.createElementNS(SVG_NS, 'g');
  body.setAttribute('transform', `translate(0 ${headH - top})`);
  body.setAttribute('clip-path', 'url(#tcpviz-view)');
  const diagCopy = diagram.cloneNode(true);
  inlineStyles(diagram, diagCopy);
  for (const child of [...diagCopy.childNodes]) body.appendChild(child);
  // Leave out the rows that are wholly outside the view (drawn ahead for scrolling).
  for (const g of [...body.querySelectorAll('g[data-row]')]) {
    const r = g.querySelector('rect');
    const y = Number(r?.getAttribute('y'));
    const hgt = Number(r?.getAttribute('height'));
    if (y + hgt < top || y > top + viewH) g.remove();
  }
  out.appendChild(body);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}\n`;
}

/** Renders SVG text to a PNG blob at `scale` × its size. */
export function svgToPng(svgText, scale = 2) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(img.width * scale);
      canvas.height = Math.ceil(img.height * scale);
      const g = canvas.getContext('2d');
      g.scale(scale, scale);
      g.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('the SVG could not be drawn')); };
    img.src = url;
  });
}

/** Offers `blob` as a download named `name`. */
export function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
