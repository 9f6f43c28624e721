// The AR funnel (GET stats/funnel): per step, who reached it, the share of the first step, the drop-off from the
// step before and the median time it took. The steps and the window can be edited; the change goes to the URL.

import { h, uid } from './dom.js';
import * as fmt from './format.js';
import { num } from './panel.js';
import { DEFAULT_STEPS, DEFAULT_WINDOW } from './view-state.js';

const TYPES = ['qr_scan', 'placement', 'interaction', 'screenshot', 'conversion', 'screen_view'];
const NAMES = { qr_scan: 'QR scan', placement: 'Placement', interaction: 'Interaction', screenshot: 'Screenshot', conversion: 'Conversion', screen_view: 'View' };
const WINDOWS = [['5m', '5 minutes'], ['15m', '15 minutes'], ['30m', '30 minutes'], ['1h', '1 hour'], ['6h', '6 hours'],
  ['24h', '24 hours'], ['7d', '7 days'], ['30d', '30 days']];

export function stepName(step) {
  if (NAMES[step]) return NAMES[step];
  if (step.startsWith('screen_view:')) return `View of ${step.slice(12)}`;
  return step.startsWith('custom:') ? `${step.slice(7)} (custom)` : step;
}

export function funnelView(result) {
  const steps = result.steps;
  const first = steps[0]?.count || 0;
  const who = result.count === 'sessions' ? 'sessions' : 'visitors';
  return h('ol', { class: 'funnel' }, steps.map((s, i) => h('li', { class: 'funnel-step', dataset: { step: s.step } },
    i > 0 && h('p', { class: 'funnel-drop muted' },
      h('span', { 'aria-hidden': 'true' }, '↓ '),
      s.conversion_from_previous == null ? 'No one to continue'
        : [num(1 - s.conversion_from_previous, fmt.rate(1 - s.conversion_from_previous), 'num drop'), ' dropped off'],
      s.median_seconds_from_previous != null && [' · median ',
        num(s.median_seconds_from_previous, fmt.duration(s.median_seconds_from_previous), 'num median'), ' from the step before']),
    h('div', { class: 'funnel-row' },
      h('span', { class: 'funnel-index', 'aria-hidden': 'true' }, String(i + 1)),
      h('span', { class: 'funnel-name' }, stepName(s.step)),
      h('span', { class: 'funnel-track' },
        h('span', { class: 'funnel-bar', style: { width: `${first ? Math.max(0.5, (s.count / first) * 100) : 0}%` } })),
      h('span', { class: 'funnel-figures' },
        num(s.count, fmt.number(s.count), 'num count'), h('span', { class: 'sr-only' }, ` ${who}`),
        s.conversion_from_first != null && h('span', { class: 'muted' }, ' · ',
          num(s.conversion_from_first, fmt.rate(s.conversion_from_first), 'num of-first')))))));
}

/** The editor: one field per step (2 to 8), the window, Apply / Cancel / Reset. */
export function funnelEditor({ steps, window }, { onApply, onCancel }) {
  const listId = uid('types');
  const list = h('ol', { class: 'step-fields' });
  const addButton = h('button', { type: 'button', class: 'btn btn-small', onclick: () => add('') }, '+ Add step');
  const windowId = uid('window');
  const windows = WINDOWS.some(([v]) => v === window) ? WINDOWS : [[window, window], ...WINDOWS];
  const windowSelect = h('select', { id: windowId, name: 'window', value: window },
    windows.map(([v, text]) => h('option', { value: v }, text)));
  const problem = h('p', { class: 'field-error', role: 'alert' });

  function add(value) {
    const n = list.children.length + 1;
    const id = uid('step');
    const input = h('input', { id, type: 'text', name: 'step', value, list: listId, required: true,
      autocomplete: 'off', spellcheck: 'false', placeholder: 'event type or custom:name' });
    const row = h('li', { class: 'step-field' },
      h('label', { for: id, class: 'sr-only' }, `Step ${n}`),
      input,
      h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': `Remove step ${n}`,
        onclick: () => { row.remove(); sync(); } }, '×'));
    list.append(row);
    sync();
    return input;
  }

  function sync() {
    const rows = [...list.children];
    rows.forEach((row, i) => {
      row.querySelector('label').textContent = `Step ${i + 1}`;
      const remove = row.querySelector('button');
      remove.setAttribute('aria-label', `Remove step ${i + 1}`);
      remove.disabled = rows.length <= 2;
    });
    addButton.disabled = rows.length >= 8;
  }

  steps.forEach((s) => add(s));
  const form = h('form', { class: 'funnel-editor', 'aria-label': 'Edit the funnel' },
    h('datalist', { id: listId }, TYPES.map((t) => h('option', { value: t }, NAMES[t]))),
    h('fieldset', null, h('legend', null, 'Steps, in order'), list, addButton),
    h('div', { class: 'form-row' }, h('label', { for: windowId }, 'Each step within'), windowSelect),
    problem,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply'),
      h('button', { type: 'button', class: 'btn', onclick: onCancel }, 'Cancel'),
      h('button', { type: 'button', class: 'btn btn-link',
        onclick: () => onApply({ steps: DEFAULT_STEPS, window: DEFAULT_WINDOW }) }, 'Reset to the AR funnel')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = [...list.querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean);
    if (chosen.length < 2) {
      problem.textContent = 'A funnel needs at least two steps.';
      return;
    }
    const unknown = chosen.find((s) => !TYPES.includes(s) && !/^(custom:.+|screen_view:\/.*)$/.test(s));
    if (unknown) {
      problem.textContent = `"${unknown}" is not an event type. Pick one from the list, or write custom:<name> or screen_view:<path>.`;
      return;
    }
    onApply({ steps: chosen, window: windowSelect.value });
  });
  return form;
}
