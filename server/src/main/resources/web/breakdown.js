// Breakdown cards: top values of a dimension (GET stats/breakdown), drawn as bars. Related dimensions share a
// card with tabs, as Plausible groups them, so the page asks for four lists rather than fourteen; the other tabs
// load when opened. Each row is a button that filters the whole page to its value.

import { h, fill, uid } from './dom.js';
import * as fmt from './format.js';
import { panel, num } from './panel.js';

export const LABELS = {
  event_name: 'Event name', country: 'Country', region: 'Region', city: 'City', os: 'OS', device_type: 'Device type',
  device_model: 'Device', browser: 'Browser', app_version: 'App version', qr_code_id: 'QR code',
  campaign: 'Campaign', object_id: 'Object', interaction_kind: 'Interaction', cta_id: 'Call to action',
  utm_source: 'UTM source', utm_medium: 'UTM medium', utm_campaign: 'UTM campaign', utm_content: 'UTM content',
  utm_term: 'UTM term', screen_name: 'Screen', path: 'Page', referrer_domain: 'Referrer',
};

export const GROUPS = [
  { id: 'locations', title: 'Locations', dims: ['country', 'city'] },
  { id: 'devices', title: 'Devices', dims: ['os', 'device_model', 'browser', 'app_version'] },
  { id: 'content', title: 'AR content', dims: ['qr_code_id', 'campaign', 'object_id', 'interaction_kind', 'cta_id', 'screen_name', 'path'] },
  { id: 'sources', title: 'Traffic sources', dims: ['utm_source', 'utm_medium', 'utm_campaign', 'referrer_domain'] },
];

/** The tab chosen in each card, kept while the page is open (not part of the shared view). */
const chosen = new Map();

export const label = (dim) => LABELS[dim] || dim;

/** A value as shown: countries by name, "" as "(not set)". */
export function valueLabel(dim, value) {
  if (value === '') return '(not set)';
  return dim === 'country' ? fmt.country(value) : value;
}

/**
 * One card. `load(dim, signal)` answers the breakdown; `onPick(dim, value)` adds the filter.
 * Returns {el, start(signal)}: start loads the chosen tab.
 */
export function breakdownCard(group, { load, onPick }) {
  let active = chosen.get(group.id) || group.dims[0];
  let signal = null;
  const tabs = group.dims.map((dim) => h('button', {
    type: 'button', role: 'tab', class: 'tab', id: uid('tab'), dataset: { dim },
    onclick: () => select(dim, true),
    onkeydown: (e) => arrows(e, dim),
  }, label(dim)));
  const holder = h('div', { class: 'tab-holder' });
  const title = uid('card');
  const el = h('section', { class: 'panel breakdown', 'aria-labelledby': title, dataset: { group: group.id } },
    h('header', { class: 'panel-head' }, h('h2', { id: title }, group.title),
      group.dims.length > 1 && h('div', { class: 'tabs', role: 'tablist', 'aria-label': `${group.title} by` }, tabs)),
    holder);

  function arrows(e, dim) {
    const at = group.dims.indexOf(dim);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: group.dims.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = group.dims[(to + group.dims.length) % group.dims.length];
    select(next, true);
    tabs[group.dims.indexOf(next)].focus();
  }

  function select(dim, fromUser) {
    active = dim;
    if (fromUser) chosen.set(group.id, dim);
    tabs.forEach((tab) => {
      const on = tab.dataset.dim === dim;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
    });
    const p = panel(`breakdown-${dim}`, { tag: 'div', skeleton: 5, boxed: false });
    p.el.setAttribute('role', 'tabpanel');
    p.el.setAttribute('aria-labelledby', tabs[group.dims.indexOf(dim)].id);
    fill(holder, p.el);
    if (signal) show(p, dim, signal);
  }

  async function show(p, dim, s) {
    try {
      const data = await load(dim, s);
      if (s.aborted || active !== dim) return;
      if (!data.values.length) p.empty();
      else p.ready(rows(dim, data.values, onPick));
    } catch (e) {
      if (e.name === 'AbortError' || s.aborted) return;
      p.error(e, e.status >= 400 && e.status < 500 ? null : () => select(dim, false));
    }
  }

  return {
    el,
    start(s) {
      signal = s;
      select(active, false);
    },
  };
}

function rows(dim, values, onPick) {
  const max = Math.max(1, ...values.map((v) => v.events));
  return h('div', { class: 'bars' },
    h('div', { class: 'bars-head', 'aria-hidden': 'true' },
      h('span', null, label(dim)), h('span', null, 'Visitors'), h('span', null, 'Events')),
    h('ul', { class: 'bar-list' }, values.map((v) => {
      const shown = valueLabel(dim, v.value);
      return h('li', null, h('button', {
        type: 'button', class: 'bar-row', dataset: { dimValue: v.value },
        title: `Filter by ${label(dim)} ${shown}`,
        'aria-label': `${shown}: ${fmt.number(v.visitors)} visitors, ${fmt.number(v.events)} events. Filter by it`,
        onclick: () => onPick(dim, v.value),
      },
      h('span', { class: 'bar', style: { width: `${(v.events / max) * 100}%` } }),
      h('span', { class: `bar-label${v.value === '' ? ' muted' : ''}` }, shown),
      num(v.visitors, fmt.short(v.visitors), 'num visitors'),
      num(v.events, fmt.short(v.events), 'num events')));
    })));
}
