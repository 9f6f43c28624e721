// The overview of one app (/apps/{id}, and /share/{token} for a share link's app): the range and comparison,
// the filters, and the panels, each asking the stats API for its part. Everything it shows comes from the URL
// (view-state.js), so back/forward and shared links reproduce the view; update() redraws on a new URL.

import { api, query, sleep } from './api.js';
import { h, fill, uid } from './dom.js';
import * as fmt from './format.js';
import { panel, checkReady } from './panel.js';
import { RANGES, OPERATORS, readState, writeState, filterParam, period } from './view-state.js';
import { summaryCards } from './cards.js';
import { timeseriesChart } from './chart.js';
import { funnelView, funnelEditor, stepName } from './funnel.js';
import { breakdownCard, GROUPS, label, valueLabel } from './breakdown.js';
import { realtimePanel } from './realtime.js';
import { eventList } from './events.js';

const FUNNEL_TRIES = 6;

/** Draws the overview into root; returns {update(search), destroy()}. */
export function overview(root, { app, basePath, navigate, shared }) {
  const zone = app.time_zone;
  const stats = `/api/v1/apps/${encodeURIComponent(app.id)}/stats`;
  let state = null;
  let dates = null;
  let controller = null;
  let chart = null;

  const go = (next) => navigate(basePath + writeState(next));
  const common = (extra = [], range = dates) => query([
    ...(range ? [['from', range.from], ['to', range.to]] : []),
    ...state.filters.map((f) => ['filter', filterParam(f)]),
    ...extra,
  ]);
  const get = (path, signal) => api('GET', `${stats}/${path}`, undefined, { signal });

  // The controls stay in place across updates, so focus and the open date fields survive a redraw.
  const rangeId = uid('range');
  const rangeSelect = h('select', { id: rangeId, name: 'range', onchange: () => chooseRange(rangeSelect.value) },
    RANGES.map(([id, text]) => h('option', { value: id }, text)));
  const fromId = uid('from');
  const toId = uid('to');
  const fromInput = h('input', { id: fromId, type: 'date', name: 'from', required: true });
  const toInput = h('input', { id: toId, type: 'date', name: 'to', required: true });
  const customForm = h('form', { class: 'custom-range', hidden: true, 'aria-label': 'Custom range',
    onsubmit: (e) => { e.preventDefault(); applyCustom(); } },
  h('label', { for: fromId }, 'From'), fromInput,
  h('label', { for: toId }, 'To'), toInput,
  h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, 'Apply'));
  const compareId = uid('compare');
  const compareBox = h('input', { id: compareId, type: 'checkbox', name: 'compare', class: 'switch-input',
    onchange: () => go({ ...state, compare: compareBox.checked }) });
  const subtitle = h('p', { class: 'muted page-sub' });
  const chips = h('div', { class: 'filters', role: 'region', 'aria-label': 'Filters' });
  const notices = h('div', { class: 'notices', 'aria-live': 'polite' });
  const grid = h('div', { class: 'overview-grid' });
  const realtime = realtimePanel({ zone, load: (signal) => get(`realtime${common([], null)}`, signal) });
  realtime.el.classList.add('span-4');

  fill(root, h('div', { class: 'page overview' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, app.name), subtitle),
      h('div', { class: 'controls' },
        h('div', { class: 'control' }, h('label', { for: rangeId }, 'Range'), rangeSelect),
        h('div', { class: 'control switch' }, compareBox,
          h('label', { for: compareId }, 'Compare with the previous period')),
        customForm)),
    shared && h('p', { class: 'notice' }, 'A shared, read-only view of this app.'),
    chips, notices, grid));

  function chooseRange(range) {
    if (range === 'custom') {
      customForm.hidden = false;
      fromInput.value = dates?.from || '';
      toInput.value = dates?.to || '';
      fromInput.focus();
      return;
    }
    go({ ...state, range, from: null, to: null });
  }

  function applyCustom() {
    if (!fromInput.value || !toInput.value) return;
    go({ ...state, range: 'custom', from: fromInput.value, to: toInput.value });
  }

  function addFilter(dim, value) {
    const filters = state.filters.filter((f) => !(f.dim === dim && f.op === 'eq'));
    go({ ...state, filters: [...filters, { dim, op: 'eq', value }] });
  }

  function drawChips() {
    if (!state.filters.length) {
      fill(chips);
      return;
    }
    fill(chips, h('span', { class: 'muted small' }, 'Filtered by'),
      state.filters.map((f, i) => {
        const shown = f.op === 'in' ? f.value.split(',').map((v) => valueLabel(f.dim, v)).join(', ') : valueLabel(f.dim, f.value);
        const text = `${label(f.dim)} ${OPERATORS[f.op]} ${shown}`;
        return h('span', { class: 'chip', dataset: { filter: filterParam(f) } }, text,
          h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove filter: ${text}`,
            onclick: () => go({ ...state, filters: state.filters.filter((_, j) => j !== i) }) }, '×'));
      }),
      state.filters.length > 1 && h('button', { type: 'button', class: 'btn btn-link btn-small',
        onclick: () => go({ ...state, filters: [] }) }, 'Clear all'));
  }

  /** A refused view (bad filter, too long a range) is said once at the top, with a way back. */
  function refused(e) {
    if (e.status !== 400 || notices.childElementCount) return;
    grid.classList.add('refused');
    fill(notices, h('div', { class: 'notice notice-error', role: 'alert', dataset: { problem: e.code } },
      h('p', null, h('strong', null, 'This view cannot be shown. '), e.message),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => navigate(basePath) }, 'Reset the view')));
  }

  function update(search) {
    controller?.abort();
    controller = new AbortController();
    const signal = controller.signal;
    chart?.destroy();
    chart = null;
    const read = readState(search);
    state = read.state;
    rangeSelect.value = RANGES.some(([id]) => id === state.range) ? state.range : '';
    customForm.hidden = state.range !== 'custom';
    compareBox.checked = state.compare;
    drawChips();
    fill(notices);
    grid.classList.remove('refused');
    if (read.problems.length) {
      realtime.stop();
      dates = null;
      subtitle.textContent = '';
      fill(grid);
      fill(notices, h('div', { class: 'notice notice-error', role: 'alert', dataset: { problem: 'url' } },
        h('p', null, h('strong', null, 'This link does not describe a view.')),
        h('ul', null, read.problems.map((p) => h('li', null, p))),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => navigate(basePath) }, 'Show the default view')));
      checkReady();
      return;
    }
    dates = period(state, zone);
    if (state.range === 'custom') {
      fromInput.value = dates.from;
      toInput.value = dates.to;
    }
    subtitle.textContent = `${dates.from === dates.to ? fmt.day(dates.from, 'full')
      : `${fmt.day(dates.from)} – ${fmt.day(dates.to)}`} · ${zone}`;

    const summary = panel('summary', { title: 'Summary', skeleton: 2, className: 'span-12 summary' });
    const series = panel('timeseries', { title: 'Over time', skeleton: 6, className: 'span-12' });
    const funnel = funnelPanel(signal);
    const latest = panel('events', { title: 'Latest events', skeleton: 6, className: 'span-12' });
    const cards = GROUPS.map((g) => breakdownCard(g, {
      load: (dim, s) => get(`breakdown${common([['by', dim], ['limit', '10']])}`, s),
      onPick: addFilter,
    }));
    cards.forEach((c) => c.el.classList.add('span-6'));
    fill(grid, summary.el, series.el, funnel.el, realtime.el, cards.map((c) => c.el), latest.el);

    // api() runs six at a time: the funnel first, as it takes the server longest (the 12-month benchmark drew it
    // last), then in the order the page is read.
    funnel.start();
    load(summary, signal, () => get(`summary${common()}`, signal), (data) => summary.ready(summaryCards(data, state.compare)));
    load(series, signal, () => Promise.all([
      get(`timeseries${common([['interval', dates.interval]])}`, signal),
      state.compare ? get(`timeseries${common([['interval', dates.interval]], dates.previous)}`, signal) : null,
    ]), ([now, before]) => {
      if (!now.buckets.some((b) => b.events > 0) && !(before && before.buckets.some((b) => b.events > 0))) {
        series.empty();
        return;
      }
      chart = timeseriesChart(now, before, zone);
      series.ready(chart.el);
    });
    realtime.start();
    cards.forEach((c) => c.start(signal));
    load(latest, signal, () => get(`events${common([['limit', '20']])}`, signal), (data) => {
      if (!data.events.length) latest.empty();
      else latest.ready(eventList(data.events, zone));
    });
  }

  function load(p, signal, ask, draw) {
    ask().then((data) => {
      if (!signal.aborted) draw(data);
    }, (e) => {
      if (signal.aborted || e.name === 'AbortError') return;
      refused(e);
      // Asking again helps after a failure of the server or the network, not after a refusal of the view.
      const transient = !(e.status >= 400 && e.status < 500 && e.status !== 429);
      p.error(e, transient ? () => {
        p.loading();
        load(p, signal, ask, draw);
      } : null);
    });
  }

  function funnelPanel(signal) {
    const editSlot = h('div', { class: 'editor-slot' });
    const editButton = h('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false',
      onclick: () => toggleEditor() }, 'Edit funnel');
    const p = panel('funnel', { title: 'Funnel', skeleton: 4, className: 'span-8', actions: editButton });
    const note = h('p', { class: 'muted small funnel-note' },
      `${state.steps.map(stepName).join(' → ')} · each step within ${state.window} of the first`);
    p.el.insertBefore(note, p.body);
    p.el.insertBefore(editSlot, p.body);

    function toggleEditor(open = !editSlot.firstChild) {
      editButton.setAttribute('aria-expanded', String(open));
      if (!open) {
        fill(editSlot);
        editButton.focus();
        return;
      }
      const form = funnelEditor(state, {
        onApply: ({ steps, window }) => go({ ...state, steps, window }),
        onCancel: () => toggleEditor(false),
      });
      fill(editSlot, form);
      form.querySelector('input')?.focus();
    }

    async function ask() {
      const url = `funnel${common([['steps', state.steps.join(',')], ['window', state.window]])}`;
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await get(url, signal);
        } catch (e) {
          // At most two funnels run at once on the server; a third is asked to come back after Retry-After.
          if (e.status !== 429 || attempt >= FUNNEL_TRIES) throw e;
          await sleep((e.retryAfter || 2) * 1000, signal);
        }
      }
    }

    return {
      el: p.el,
      start: () => load(p, signal, ask, (data) => {
        if (!data.steps.length || data.steps[0].count === 0) {
          p.empty(`No one reached the first step (${stepName(state.steps[0])}) in this range`);
        } else {
          p.ready(funnelView(data));
        }
      }),
    };
  }

  update(location.search);
  return {
    update,
    destroy() {
      controller?.abort();
      chart?.destroy();
      realtime.stop();
    },
  };
}
