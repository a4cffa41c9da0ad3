// Building DOM and SVG elements safely. Text always goes in as text nodes,
// attributes only through setAttribute and only under names on a list, so
// nothing from a timeline can become markup, an event handler or a link.

const SVG_NS = 'http://www.w3.org/2000/svg';

const SAFE_ATTRIBUTES = new Set([
  'class', 'id', 'role', 'title', 'type', 'value', 'for', 'name', 'tabindex', 'hidden', 'lang', 'dir',
  'colspan', 'scope', 'placeholder', 'min', 'max', 'step', 'checked', 'selected', 'disabled', 'download',
  'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'width', 'height', 'd', 'points',
  'transform', 'text-anchor', 'dominant-baseline', 'viewBox', 'preserveAspectRatio', 'xmlns',
]);

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (!SAFE_ATTRIBUTES.has(name) && !name.startsWith('data-') && !name.startsWith('aria-')) {
      throw new Error(`dom: attribute ${name} is not on the safe list`);
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (typeof child === 'object' && 'nodeType' in child) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** An HTML element: h('td', { class: 'x' }, 'text', otherNode). */
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element, the same way. */
export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

/** Replaces all children of `node`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

export { SVG_NS };
