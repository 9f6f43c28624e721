// The overview's whole state lives in the URL, so a link reproduces the view:
//   ?range=30d|today|7d|90d|12m|custom &from=YYYY-MM-DD&to=YYYY-MM-DD (custom only) &compare=1
//   &filter=<dimension>:<eq|neq|in>:<value> (repeatable) &steps=a,b,c &window=1h
// Defaults are left out of the URL. readState never throws: a malformed URL gives `problems`, shown on the page.

import { today, number } from './format.js';

export const RANGES = [
  ['today', 'Today'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['12m', 'Last 12 months'],
  ['custom', 'Custom range'],
];
export const DEFAULT_RANGE = '30d';
export const DEFAULT_STEPS = ['qr_scan', 'placement', 'interaction', 'conversion'];
export const DEFAULT_WINDOW = '1h';
export const OPERATORS = { eq: 'is', neq: 'is not', in: 'is one of' };
/** The stats API's dimensions; a link naming another is explained here rather than sent to be refused. */
export const DIMENSIONS = ['event_name', 'country', 'region', 'city', 'os', 'device_type', 'device_model', 'browser',
  'app_version', 'qr_code_id', 'campaign', 'object_id', 'interaction_kind', 'cta_id', 'utm_source', 'utm_medium',
  'utm_campaign', 'utm_content', 'utm_term', 'screen_name', 'path', 'referrer_domain'];
/** The API's limits on a view (README, Stats API). */
export const MAX_DAYS = 1096;
const MAX_FILTERS = 10;
const STEP_TYPES = ['qr_scan', 'placement', 'interaction', 'screenshot', 'conversion', 'screen_view'];
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 };

/** A window such as 30m as seconds, or null when it is not one the API takes (1 s to 30 d). */
function windowSeconds(text) {
  const m = /^(\d{1,7})([smhd])$/.exec(text);
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2]] : 0;
  return seconds >= 1 && seconds <= 30 * 86400 ? seconds : null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN = new Set(['range', 'from', 'to', 'compare', 'filter', 'steps', 'window']);

export function readState(search) {
  const params = new URLSearchParams(search);
  const problems = [];
  const state = {
    range: params.get('range') || DEFAULT_RANGE,
    from: params.get('from'),
    to: params.get('to'),
    compare: params.get('compare') === '1',
    filters: [],
    steps: DEFAULT_STEPS,
    window: params.get('window') || DEFAULT_WINDOW,
  };
  if (!RANGES.some(([id]) => id === state.range)) {
    problems.push(`The range "${state.range}" is not one of ${RANGES.map(([id]) => id).join(', ')}.`);
  }
  if (state.range === 'custom') {
    if (!validDate(state.from) || !validDate(state.to)) {
      problems.push('A custom range needs "from" and "to" as dates (YYYY-MM-DD).');
    } else if (state.from > state.to) {
      problems.push(`The range starts (${state.from}) after it ends (${state.to}).`);
    } else if (daysBetween(state.from, state.to) + 1 > MAX_DAYS) {
      problems.push(`A range may cover at most ${number(MAX_DAYS)} days; ${state.from} to ${state.to} covers `
        + `${number(daysBetween(state.from, state.to) + 1)}.`);
    }
  }
  for (const raw of params.getAll('filter')) {
    const first = raw.indexOf(':');
    const second = first < 0 ? -1 : raw.indexOf(':', first + 1);
    const op = second < 0 ? '' : raw.slice(first + 1, second);
    if (first <= 0 || second < 0) {
      problems.push(`The filter "${raw}" is not <dimension>:<eq|neq|in>:<value>.`);
      continue;
    }
    const dim = raw.slice(0, first);
    if (!DIMENSIONS.includes(dim)) {
      problems.push(`The filter "${raw}" names the dimension "${dim}", which the overview does not know.`);
      continue;
    }
    if (!Object.hasOwn(OPERATORS, op)) {
      problems.push(`The filter "${raw}" has the operator "${op}"; it must be eq, neq or in.`);
      continue;
    }
    state.filters.push({ dim, op, value: raw.slice(second + 1) });
  }
  if (state.filters.length > MAX_FILTERS) problems.push(`A view may have at most ${MAX_FILTERS} filters.`);
  if (params.has('steps')) state.steps = params.get('steps').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = state.steps.filter((s) => !STEP_TYPES.includes(s) && !/^(custom:.+|screen_view:\/.*)$/.test(s));
  if (unknown.length) {
    problems.push(`The funnel step "${unknown[0]}" is not an event type (${STEP_TYPES.join(', ')}), custom:<name> or screen_view:<path>.`);
  } else if (state.steps.length < 2 || state.steps.length > 8) {
    problems.push(`A funnel has 2 to 8 steps; this link gives ${state.steps.length}.`);
  }
  if (!windowSeconds(state.window)) {
    problems.push(`The funnel window "${state.window}" is not a time from 1s to 30d (such as 30m, 1h or 7d).`);
  }
  for (const name of params.keys()) {
    if (!KNOWN.has(name)) problems.push(`The link has a parameter "${name}" the overview does not know.`);
  }
  return { state, problems };
}

export function writeState(state) {
  const params = new URLSearchParams();
  if (state.range !== DEFAULT_RANGE) params.set('range', state.range);
  if (state.range === 'custom') {
    params.set('from', state.from);
    params.set('to', state.to);
  }
  if (state.compare) params.set('compare', '1');
  for (const f of state.filters) params.append('filter', filterParam(f));
  if (state.steps.join(',') !== DEFAULT_STEPS.join(',')) params.set('steps', state.steps.join(','));
  if (state.window !== DEFAULT_WINDOW) params.set('window', state.window);
  const s = params.toString();
  return s ? `?${s}` : '';
}

export const filterParam = (f) => `${f.dim}:${f.op}:${f.value}`;

/**
 * The dates (in the app's zone) the range covers, the chart's interval, and the previous period of the same
 * length (what the summary compares with).
 */
export function period(state, zone) {
  const end = today(zone);
  let from;
  let to = end;
  switch (state.range) {
    case 'today': from = end; break;
    case '7d': from = addDays(end, -6); break;
    case '90d': from = addDays(end, -89); break;
    case '12m': from = `${addMonths(end.slice(0, 7), -11)}-01`; break;
    case 'custom': ({ from, to } = state); break;
    default: from = addDays(end, -29);
  }
  const days = daysBetween(from, to) + 1;
  const interval = days <= 2 ? 'hour' : days <= 92 ? 'day' : state.range === '12m' || days > 400 ? 'month' : 'week';
  const previousTo = addDays(from, -1);
  return { from, to, days, interval, previous: { from: addDays(previousTo, -(days - 1)), to: previousTo } };
}

function validDate(s) {
  if (!s || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function addMonths(yearMonth, n) {
  const d = new Date(`${yearMonth}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}

export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000);
}
