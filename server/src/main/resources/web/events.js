// The latest events of the range, newest first (GET stats/events?limit=20), each row opening to its properties.

import { h } from './dom.js';
import * as fmt from './format.js';

export function eventList(events, zone) {
  return h('ol', { class: 'event-list' }, events.map((e) => h('li', null,
    h('details', { class: 'event', dataset: { eventId: e.event_id } },
      h('summary', null,
        h('span', { class: 'event-type' }, h('span', { class: `dot type-${e.type}`, 'aria-hidden': 'true' }),
          e.type === 'custom' && e.name ? `custom: ${e.name}` : e.type),
        h('span', { class: 'event-where' }, place(e)),
        h('span', { class: 'event-device muted' }, [e.os, e.device_model].filter(Boolean).join(' · ') || '—'),
        h('time', { class: 'event-time muted', datetime: e.occurred_at }, fmt.dateTime(e.occurred_at, zone))),
      properties(e)))));
}

function place(e) {
  const country = e.country ? fmt.country(e.country) : '';
  return [e.city, country].filter(Boolean).join(', ') || '—';
}

function properties(e) {
  const props = Object.entries(e.properties || {});
  const facts = [
    ['Event id', e.event_id], ['Visitor', e.visitor_id], ['Session', e.session_id], ['Browser', e.browser],
    ['App version', e.app_version],
  ].filter(([, v]) => v);
  return h('div', { class: 'event-props' },
    h('dl', { class: 'props' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, h('code', null, String(v)))])),
    props.length
      ? h('dl', { class: 'props' }, props.map(([k, v]) => [h('dt', null, k),
        h('dd', null, h('code', null, typeof v === 'string' ? v : JSON.stringify(v)))]))
      : h('p', { class: 'muted small' }, 'No properties'));
}
