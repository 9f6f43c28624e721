// The summary cards: events, visitors, sessions, conversions, conversion rate and conversion value per currency,
// each with its change against the previous period of the same length, as GET stats/summary answers them.

import { h } from './dom.js';
import * as fmt from './format.js';
import { num } from './panel.js';

export function summaryCards(summary, compare) {
  const { current, previous, change } = summary;
  const cards = [
    card('events', 'Events', current.events, fmt.number(current.events), relative(change.events, current.events),
      compare && fmt.number(previous.events)),
    card('visitors', 'Visitors', current.visitors, fmt.number(current.visitors),
      relative(change.visitors, current.visitors), compare && fmt.number(previous.visitors)),
    card('sessions', 'Sessions', current.sessions, fmt.number(current.sessions),
      relative(change.sessions, current.sessions), compare && fmt.number(previous.sessions)),
    card('conversions', 'Conversions', current.conversions, fmt.number(current.conversions),
      relative(change.conversions, current.conversions), compare && fmt.number(previous.conversions)),
    card('conversion_rate', 'Conversion rate', current.conversion_rate, fmt.rate(current.conversion_rate),
      // Without visitors before, the previous rate is not 0 %: there was none, as for the counts' "new".
      previous.visitors ? badge(change.conversion_rate, fmt.points(change.conversion_rate))
        : relative(null, current.conversion_rate),
      compare && fmt.rate(previous.conversion_rate)),
    valueCard(current.conversion_value || [], previous.conversion_value || [], compare),
  ];
  return h('div', { class: 'cards' }, cards);
}

function card(metric, label, value, text, changeBadge, before) {
  return h('div', { class: 'card', dataset: { metric } },
    h('span', { class: 'card-label' }, label),
    num(value, text, 'card-value'),
    h('span', { class: 'card-foot' }, changeBadge, before && h('span', { class: 'muted' }, `was ${before}`)));
}

/** The conversion value: one line per currency; its change is worked out here, as the API gives none for it. */
function valueCard(values, previousValues, compare) {
  const label = h('span', { class: 'card-label' }, 'Conversion value');
  if (values.length === 0) {
    return h('div', { class: 'card', dataset: { metric: 'conversion_value' } }, label,
      h('span', { class: 'card-value muted' }, '—'), h('span', { class: 'card-foot muted' }, 'No values in this range'));
  }
  const before = new Map(previousValues.map((v) => [v.currency, Number(v.value)]));
  return h('div', { class: 'card', dataset: { metric: 'conversion_value' } }, label,
    h('ul', { class: 'money-list' }, values.map((v) => {
      const value = Number(v.value);
      const old = before.get(v.currency) || 0;
      return h('li', { dataset: { currency: v.currency } },
        num(v.value, fmt.money(value, v.currency), 'card-value'),
        h('span', { class: 'card-foot' },
          relative(old ? (value - old) / old : null, value),
          compare && h('span', { class: 'muted' }, `was ${fmt.money(old, v.currency)}`)));
    })));
}

function relative(fraction, current) {
  if (fraction == null) {
    return h('span', { class: 'change flat', title: 'Nothing in the previous period to compare with' },
      current > 0 ? 'new' : '—');
  }
  return badge(fraction, fmt.change(fraction));
}

function badge(delta, text) {
  const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const arrow = { up: '↑', down: '↓', flat: '' }[direction];
  return h('span', { class: `change ${direction}`, dataset: { value: String(delta) }, title: 'Change against the previous period' },
    h('span', { 'aria-hidden': 'true' }, arrow), text,
    h('span', { class: 'sr-only' }, ' against the previous period'));
}
