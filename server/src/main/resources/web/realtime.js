// The realtime panel: events and active visitors of the last 30 and 5 minutes (GET stats/realtime), asked
// again every 10 s while the tab is visible; a hidden tab asks nothing and catches up when shown again.

import { h } from './dom.js';
import * as fmt from './format.js';
import { panel, num } from './panel.js';

const EVERY_MS = 10_000;

export function realtimePanel({ load, zone }) {
  const p = panel('realtime', { title: 'Realtime', skeleton: 3, className: 'realtime' });
  let timer = null;
  let controller = null;
  let stopped = false;
  let started = false;

  async function refresh() {
    clearTimeout(timer);
    timer = null;
    if (stopped || document.hidden) return;
    controller?.abort(); // one refresh at a time, or each would start its own timer
    controller = new AbortController();
    const signal = controller.signal;
    try {
      const data = await load(signal);
      if (signal.aborted) return;
      p.ready(view(data, zone));
    } catch (e) {
      if (signal.aborted || e.name === 'AbortError') return;
      // Keep the last numbers on a failed refresh; show the error only when there is nothing to show.
      if (p.state !== 'ready') p.error(e, refresh);
    }
    if (!stopped && !document.hidden) timer = setTimeout(refresh, EVERY_MS);
  }

  function onVisibility() {
    if (!document.hidden && timer === null) refresh();
  }

  return {
    el: p.el,
    start() {
      if (stopped || !started) document.addEventListener('visibilitychange', onVisibility);
      started = true;
      stopped = false;
      controller?.abort();
      if (p.state !== 'loading') p.loading(3);
      refresh();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

function view(data, zone) {
  const windows = new Map((data.windows || []).map((w) => [w.minutes, w]));
  const last30 = windows.get(30) || { events: 0, visitors: 0 };
  const last5 = windows.get(5) || { events: 0, visitors: 0 };
  return h('div', { class: 'realtime-body' },
    h('p', { class: 'realtime-main' },
      h('span', { class: `pulse${last30.visitors ? '' : ' idle'}`, 'aria-hidden': 'true' }),
      num(last30.visitors, fmt.number(last30.visitors), 'big-number'),
      h('span', null, last30.visitors === 1 ? ' visitor in the last 30 minutes' : ' visitors in the last 30 minutes')),
    h('dl', { class: 'stat-list' },
      h('div', null, h('dt', null, 'Events, last 30 min'), h('dd', null, num(last30.events, fmt.number(last30.events)))),
      h('div', null, h('dt', null, 'Visitors, last 5 min'), h('dd', null, num(last5.visitors, fmt.number(last5.visitors)))),
      h('div', null, h('dt', null, 'Events, last 5 min'), h('dd', null, num(last5.events, fmt.number(last5.events))))),
    h('p', { class: 'muted small' }, `Updated ${data.at ? fmt.time(data.at, zone) : ''} · every 10 s`));
}
