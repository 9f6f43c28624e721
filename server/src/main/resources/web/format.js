// Numbers and dates in the browser's locale; dates in the app's time zone (never the browser's), since the
// API's days are the app's days.

const locale = navigator.language || 'en';
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
const signedPercent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const signedPoints = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });

export const number = (n) => (Number.isInteger(n) ? integer : decimal).format(n);
export const short = (n) => (Math.abs(n) < 10000 ? integer.format(n) : compact.format(n));
export const rate = (fraction) => percent.format(fraction);
/** A relative change (0.12 = +12 %). */
export const change = (fraction) => signedPercent.format(fraction);
/** A change of a rate in percentage points, from fractions (0.012 = +1.2 pp). */
export const points = (fraction) => `${signedPoints.format(fraction * 100)} pp`;

const currencies = new Map();
export function money(value, currency) {
  if (!currencies.has(currency)) {
    let f;
    try {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      f = null; // not an ISO 4217 code: show the number and the code as sent
    }
    currencies.set(currency, f);
  }
  const f = currencies.get(currency);
  return f ? f.format(value) : `${decimal.format(value)} ${currency}`;
}

/** 75 -> "1m 15s", 5400 -> "1h 30m", 0.4 -> "0.4s". */
export function duration(seconds) {
  if (seconds == null) return '—';
  if (seconds < 10) return `${decimal.format(Math.round(seconds * 10) / 10)}s`;
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400), hrs = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d) return hrs ? `${d}d ${hrs}h` : `${d}d`;
  if (hrs) return m ? `${hrs}h ${m}m` : `${hrs}h`;
  if (m) return sec ? `${m}m ${sec}s` : `${m}m`;
  return `${sec}s`;
}

const cache = new Map();
function dateFormat(zone, options) {
  const key = zone + JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(locale, { timeZone: zone, ...options }));
  return cache.get(key);
}

export const dateTime = (instant, zone) =>
  dateFormat(zone, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(instant));
export const time = (instant, zone) => dateFormat(zone, { timeStyle: 'medium' }).format(new Date(instant));

/** A calendar date (YYYY-MM-DD, a day of the app's zone) as the locale writes it. */
export function day(iso, style = 'medium') {
  return dateFormat('UTC', { dateStyle: style }).format(new Date(`${iso}T00:00:00Z`));
}

/** Today's date in a zone, as YYYY-MM-DD. */
export function today(zone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

let regions = null;
/** A country code as its name in the locale ("DE" -> "Germany"), or the code itself. */
export function country(code) {
  if (!code) return code;
  try {
    regions ??= new Intl.DisplayNames(locale, { type: 'region' });
    return regions.of(code.toUpperCase()) || code;
  } catch {
    return code;
  }
}
