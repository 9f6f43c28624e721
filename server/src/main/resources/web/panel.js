// A panel of a page: a box with a title whose body is in one of four states, mirrored in data-state for tests
// and the benchmark: loading (a skeleton), ready, empty (a sentence, never a blank box) or error (the API's
// message and a way to retry); `boxed: false` for one inside another box. document.body.dataset.ready turns "true" once no panel of the page is loading.

import { h, fill, uid } from './dom.js';

export function panel(name, { title, actions, tag = 'section', className = '', skeleton = 4, boxed = true } = {}) {
  const titleId = title ? uid('panel') : null;
  const body = h('div', { class: 'panel-body' });
  const el = h(tag, {
    class: `${boxed ? 'panel' : 'panel-inner'} ${className}`.trim(),
    dataset: { panel: name, state: 'loading' },
    'aria-labelledby': titleId,
    'aria-busy': 'true',
  },
  title ? h('header', { class: 'panel-head' }, h('h2', { id: titleId }, title), actions && h('div', { class: 'panel-actions' }, actions)) : null,
  body);
  const set = (state, content) => {
    el.dataset.state = state;
    el.setAttribute('aria-busy', String(state === 'loading'));
    fill(body, content);
    checkReady();
  };
  set('loading', skeletonLines(skeleton));
  return {
    el,
    body,
    get state() {
      return el.dataset.state;
    },
    loading(rows = skeleton) {
      set('loading', skeletonLines(rows));
    },
    ready(...content) {
      set('ready', content);
    },
    empty(message = 'No events in this range') {
      set('empty', h('p', { class: 'empty' }, message));
    },
    error(e, retry) {
      set('error', errorBox(e, retry));
    },
  };
}

export function errorBox(e, retry) {
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', null, e.message || String(e)),
    retry && h('button', { class: 'btn btn-small', type: 'button', onclick: retry }, 'Try again'));
}

export function skeletonLines(rows) {
  return h('div', { class: 'skeleton-group', 'aria-hidden': 'true' },
    Array.from({ length: rows }, (_, i) => h('div', { class: `skeleton skeleton-${i % 3}` })));
}

/** Sets body.dataset.ready from the panels now on the page. Pages without panels call it once drawn. */
export function checkReady() {
  const panels = document.querySelectorAll('[data-panel]');
  const ready = [...panels].every((p) => p.dataset.state !== 'loading');
  document.body.dataset.ready = String(ready);
}

/** A number as shown, with its raw value for tests: <span data-value="1234">1,234</span>. */
export function num(value, text, className = 'num') {
  return h('span', { class: className, dataset: { value: String(value) } }, text);
}
