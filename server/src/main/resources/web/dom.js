// A tiny element builder: h('button', {class: 'btn', onclick: fn}, 'Label', child, [more]).
// Props: class, dataset {…}, style {…} (objects only: CSP forbids style attributes in markup), on<event>
// listeners, value/checked (set as properties after the children, so a <select> finds its option), and any
// other attribute (true sets it empty, false/null/undefined leave it out). Children: nodes, strings, numbers,
// arrays; null/false are skipped.

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  const late = {};
  for (const [key, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (key === 'class') el.className = v;
    else if (key === 'dataset') Object.assign(el.dataset, v);
    else if (key === 'style') Object.assign(el.style, v);
    else if (key.startsWith('on') && typeof v === 'function') el.addEventListener(key.slice(2), v);
    else if (key === 'value' || key === 'checked') late[key] = v;
    else el.setAttribute(key, v === true ? '' : String(v));
  }
  append(el, children);
  Object.assign(el, late);
  return el;
}

export function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  clear(el);
  return append(el, children);
}

let ids = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix = 'id') {
  ids += 1;
  return `${prefix}-${ids}`;
}
