// The one way the page talks to the server: api(method, path, body?, {signal}?) -> parsed JSON (null for 204).
// It sends the session's CSRF token on state-changing requests, or the share link's token as Bearer on share
// pages, and throws an Error carrying status, code, field, message (and retryAfter, in seconds, from a 429/503)
// on any non-2xx answer, read from the API's one error shape.
//
// At most MAX_PARALLEL requests run at once; the rest wait in order. The overview asks ~20 questions at once, and
// the server answers stats on a pool of 8 database connections and at most 2 funnels at a time (README, Stats
// API): six leaves room for a second open dashboard and for ingestion, and is also what a browser opens per host.

const MAX_PARALLEL = 6;
const credentials = { csrf: null, bearer: null };
let onUnauthorized = null;
let running = 0;
const waiting = [];

/** Called once the session is known: the cookie session's CSRF token, or a share link's token. */
export function setCredentials({ csrf = null, bearer = null } = {}) {
  credentials.csrf = csrf;
  credentials.bearer = bearer;
}

/** What to do when a request is answered 401 (the session ended): the shell shows the login. */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export async function api(method, path, body, { signal } = {}) {
  await slot(signal);
  let response;
  try {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (credentials.bearer) headers.Authorization = `Bearer ${credentials.bearer}`;
    else if (credentials.csrf && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = credentials.csrf;
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) throw failure(response, data);
    return data;
  } finally {
    release();
  }
}

function failure(response, data) {
  const error = (data && data.error) || {};
  const message = error.message || `The server answered ${response.status} ${response.statusText}`.trim();
  const e = new Error(message);
  e.status = response.status;
  e.code = error.code || `http_${response.status}`;
  e.field = error.field ?? null;
  const retry = Number(response.headers.get('Retry-After'));
  e.retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  if (response.status === 401 && onUnauthorized) queueMicrotask(() => onUnauthorized(e));
  return e;
}

function slot(signal) {
  if (signal?.aborted) return Promise.reject(abortError());
  if (running < MAX_PARALLEL) {
    running += 1;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const entry = { resolve, reject };
    waiting.push(entry);
    signal?.addEventListener('abort', () => {
      const at = waiting.indexOf(entry);
      if (at >= 0) {
        waiting.splice(at, 1);
        reject(abortError());
      }
    }, { once: true });
  });
}

function release() {
  const next = waiting.shift();
  if (next) next.resolve(); // the slot passes on; running stays the same
  else running -= 1;
}

function abortError() {
  return new DOMException('The request was cancelled', 'AbortError');
}

export const isAbort = (e) => e?.name === 'AbortError';

/** A query string from pairs, repeating keys as given: query([['filter','a'],['filter','b']]). */
export function query(pairs) {
  const params = new URLSearchParams();
  for (const [k, v] of pairs) if (v != null && v !== '') params.append(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Waits, or stops early when the signal aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(abortError());
    }, { once: true });
  });
}
