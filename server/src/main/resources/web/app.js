// Sightline's dashboard: the shell (top bar, app selector, navigation), the router over the history API, the
// session check (GET /api/v1/session) and the views. No build step: plain ES modules, served as they are.
//
// For the admin pages (admin.js), the shell does this on /admin/{page}, for role admin only:
//   const { render } = await import('./admin.js');
//   const cleanup = await render(main, { page, params, api, session, navigate });
//   page: 'apps' | 'users' | 'tokens' | 'privacy' | 'destinations'
//   params: URLSearchParams of the URL (the app of /admin/destinations?app=1, …)
//   api(method, path, body?) -> Promise of the parsed JSON (null for 204). It sends the session's X-CSRF-Token
//     on POST/PATCH/DELETE. On a non-2xx answer it throws an Error with status, code, field and message taken
//     from the API's {"error": {...}} (and retryAfter in seconds from Retry-After, or null).
//   session: GET /api/v1/session's answer: {kind, user: {id, email, role}, csrf_token, apps: [{id, name, time_zone}]}
//   navigate(url, {replace}?): moves to another page of the dashboard without reloading it.
//   render may return a function, called before the next page is drawn (to stop timers).
// The shell draws the top bar and the admin tabs; render fills `main` only. It may also
//   import { api, h, fill, fmt, navigate, refreshSession } from './app.js';
// and reuse app.css's classes: .panel, .btn, .btn-primary, .btn-danger, .btn-small, table.data, .form-row,
// .chip, .muted, .notice, .notice-error, .empty, .dialog (a <dialog>), .page, .page-head.
// A panel that loads data should carry data-panel="<name>" and data-state="loading|ready|empty|error": tests wait
// for document.body.dataset.ready, set once no panel is loading (checkReady() in panel.js, re-exported here).

import { api, setCredentials, setUnauthorizedHandler } from './api.js';
import { h, fill } from './dom.js';
import * as fmt from './format.js';
import { checkReady } from './panel.js';
import { overview } from './overview.js';
import { loginView, setupView } from './login.js';

export { api, h, fill, fmt, checkReady };

const ADMIN_PAGES = [
  ['apps', 'Apps'], ['users', 'Users'], ['tokens', 'API tokens'], ['privacy', 'Privacy'], ['destinations', 'Destinations'],
];
const LAST_APP = 'sightline.app';
const root = document.getElementById('root');

let session = null;
let shareToken = null;
let view = null; // {key, update?(search), destroy?()}

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route();
}

/** Asks the server who this is again (after signing in or out, or a change of one's apps). */
export async function refreshSession() {
  session = null;
  return loadSession();
}

async function loadSession() {
  if (session) return session;
  try {
    session = await api('GET', '/api/v1/session');
  } catch (e) {
    if (e.status !== 401) throw e;
    session = null;
  }
  setCredentials({ csrf: session?.csrf_token ?? null, bearer: shareToken });
  return session;
}

async function route() {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').slice(1);
  try {
    if (path === '/login') {
      shareToken = null;
      if (session?.kind === 'share') session = null;
      return showLogin();
    }
    if (path === '/setup') return showSetup();
    if (parts[0] === 'share' && parts.length === 2) return await showShare(decodeURIComponent(parts[1]));
    if (shareToken || session?.kind === 'share') {
      shareToken = null;
      session = null;
    }
    const who = await loadSession();
    if (!who || who.kind !== 'user') {
      const next = location.pathname + location.search;
      return navigate(`/login${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, { replace: true });
    }
    if (path === '/') return showHome();
    if (parts[0] === 'apps' && parts.length === 2) return showOverview(parts[1]);
    if (parts[0] === 'admin' && parts.length === 2) return await showAdmin(parts[1]);
    return showMessage('Page not found', 'There is no page at this address.');
  } catch (e) {
    return showMessage('Something went wrong', e.message || String(e));
  }
}

function leave(key) {
  if (view && view.key === key && view.update) return false;
  view?.destroy?.();
  view = null;
  delete document.body.dataset.ready;
  return true;
}

function showLogin() {
  leave('login');
  // No session check here: asking would log a 401 in the console of everyone who is signed out.
  if (session?.kind === 'user') return navigate(safeNext() || '/', { replace: true });
  document.title = 'Sign in · Sightline';
  loginView(root, {
    message: new URLSearchParams(location.search).get('next') ? 'Sign in to see that page.' : null,
    onSignedIn: async () => {
      await refreshSession();
      navigate(safeNext() || '/', { replace: true });
    },
  });
  view = { key: 'login' };
  checkReady();
}

function showSetup() {
  leave('setup');
  // The token is read once and removed from the address bar, so it is not left in the history.
  const token = location.hash.slice(1) || view?.token || null;
  if (location.hash) history.replaceState(null, '', '/setup');
  document.title = 'Set your password · Sightline';
  setupView(root, {
    token,
    onSignedIn: async () => {
      await refreshSession();
      navigate('/', { replace: true });
    },
  });
  view = { key: 'setup', token };
  checkReady();
}

function showHome() {
  const apps = session.apps || [];
  const remembered = apps.find((a) => String(a.id) === localStorage.getItem(LAST_APP));
  const app = remembered || apps[0];
  if (app) return navigate(`/apps/${app.id}`, { replace: true });
  leave('home');
  shell(null, 'overview', h('div', { class: 'page' }, h('div', { class: 'panel empty-page' },
    h('h1', null, 'No apps yet'),
    h('p', { class: 'muted' }, session.user.role === 'admin'
      ? 'Create an app to get a write key, send events with it, and they will show here.'
      : 'No app has been shared with you yet. Ask an admin to give you access.'),
    session.user.role === 'admin' && h('a', { class: 'btn btn-primary', href: '/admin/apps' }, 'Create an app'))));
  view = { key: 'home' };
  checkReady();
}

function showOverview(id) {
  const app = (session.apps || []).find((a) => String(a.id) === id);
  if (!app) {
    return showMessage('App not available', 'This app does not exist, or you have no access to it.');
  }
  localStorage.setItem(LAST_APP, String(app.id));
  const key = `apps/${app.id}`;
  if (!leave(key)) return view.update(location.search);
  document.title = `${app.name} · Sightline`;
  const main = shell(app, 'overview');
  view = { key, ...overview(main, { app, basePath: `/apps/${app.id}`, navigate, shared: false }) };
}

async function showShare(token) {
  const key = `share/${token}`;
  if (view?.key === key) return view.update(location.search);
  leave(key);
  shareToken = token;
  session = null;
  setCredentials({ bearer: token });
  const who = await loadSession();
  const app = who?.apps?.[0];
  if (!app) {
    fill(root, h('main', { class: 'auth', id: 'main' }, h('div', { class: 'auth-card panel' },
      h('h1', null, 'This link no longer works'),
      h('p', { class: 'muted' }, 'The share link was revoked or is mistyped. Ask whoever sent it for a new one.'))));
    view = { key: 'share-invalid' };
    return checkReady();
  }
  document.title = `${app.name} · Sightline`;
  const main = shell(app, 'share');
  view = { key, ...overview(main, { app, basePath: `/share/${encodeURIComponent(token)}`, navigate, shared: true }) };
}

async function showAdmin(page) {
  if (!ADMIN_PAGES.some(([id]) => id === page)) return showMessage('Page not found', 'There is no admin page here.');
  if (session.user.role !== 'admin') {
    return showMessage('No access', 'Only admins can open the admin pages.');
  }
  leave(`admin/${page}`);
  const params = new URLSearchParams(location.search);
  const app = (session.apps || []).find((a) => String(a.id) === (params.get('app') || localStorage.getItem(LAST_APP)))
    || session.apps?.[0] || null;
  document.title = `${ADMIN_PAGES.find(([id]) => id === page)[1]} · Admin · Sightline`;
  const main = shell(app, 'admin', null, page);
  let cleanup = null;
  try {
    const admin = await import('./admin.js');
    cleanup = await admin.render(main, { page, params, api, session, navigate });
  } catch (e) {
    fill(main, h('div', { class: 'page' }, h('div', { class: 'notice notice-error', role: 'alert' },
      h('p', null, `The admin page could not be loaded: ${e.message}`))));
  }
  view = { key: `admin/${page}`, destroy: typeof cleanup === 'function' ? cleanup : null };
  checkReady();
}

function showMessage(title, text) {
  leave('message');
  document.title = `${title} · Sightline`;
  const content = h('div', { class: 'page' }, h('div', { class: 'panel empty-page', role: 'alert' },
    h('h1', null, title), h('p', { class: 'muted' }, text),
    h('a', { class: 'btn', href: '/' }, 'Go to the overview')));
  if (session?.kind === 'user') shell(null, null, content);
  else fill(root, h('main', { class: 'auth', id: 'main' }, content));
  view = { key: 'message' };
  checkReady();
}

/** The top bar and the main area; returns the element a view draws into. */
function shell(app, section, content, adminPage) {
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' }, content);
  const apps = session?.apps || [];
  const shared = section === 'share';
  const appSelect = !shared && apps.length > 0 && h('div', { class: 'app-picker' },
    h('label', { for: 'app-select', class: 'sr-only' }, 'App'),
    h('select', { id: 'app-select', value: app ? String(app.id) : '', onchange: (e) => pickApp(e.target.value, section) },
      !app && h('option', { value: '' }, 'Choose an app'),
      apps.map((a) => h('option', { value: String(a.id) }, a.name))));
  const overviewHref = app ? `/apps/${app.id}` : '/';
  const nav = !shared && h('nav', { class: 'nav', 'aria-label': 'Main' },
    h('a', { href: overviewHref, 'aria-current': section === 'overview' ? 'page' : null }, 'Overview'),
    session.user.role === 'admin' && h('a', { href: `/admin/apps`, 'aria-current': section === 'admin' ? 'page' : null }, 'Admin'));
  const user = !shared && h('div', { class: 'user' },
    h('span', { class: 'user-email muted', title: session.user.email }, session.user.email),
    h('button', { type: 'button', class: 'btn btn-small', onclick: signOut }, 'Sign out'));
  const adminTabs = section === 'admin' && h('nav', { class: 'subnav', 'aria-label': 'Admin' },
    h('div', { class: 'subnav-inner' }, ADMIN_PAGES.map(([id, text]) => h('a', {
      href: id === 'destinations' && app ? `/admin/destinations?app=${app.id}` : `/admin/${id}`,
      'aria-current': id === adminPage ? 'page' : null,
    }, text))));
  fill(root,
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h('header', { class: 'topbar' }, h('div', { class: 'topbar-inner' },
      h('a', { class: 'brand', href: shared ? location.pathname : overviewHref },
        h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Sightline'),
      appSelect, nav, user,
      shared && h('span', { class: 'chip chip-quiet' }, 'Read-only'))),
    adminTabs, main);
  root.classList.remove('boot');
  root.removeAttribute('aria-busy');
  return main;
}

function pickApp(id, section) {
  if (!id) return;
  localStorage.setItem(LAST_APP, id);
  if (section === 'admin') {
    const params = new URLSearchParams(location.search);
    params.set('app', id);
    return navigate(`${location.pathname}?${params}`);
  }
  // Range and comparison carry over to the other app; filters and the funnel are the old app's own.
  const old = new URLSearchParams(location.search);
  const keep = new URLSearchParams();
  for (const name of ['range', 'from', 'to', 'compare']) if (old.has(name)) keep.set(name, old.get(name));
  const q = keep.toString();
  navigate(`/apps/${id}${q ? `?${q}` : ''}`);
}

async function signOut() {
  try {
    await api('DELETE', '/api/v1/session');
  } catch (e) {
    if (e.status !== 401) return showMessage('Could not sign out', e.message);
  }
  session = null;
  setCredentials({});
  navigate('/login', { replace: true });
}

/** The page to go back to after signing in: a path of this dashboard only, never another site. */
function safeNext() {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return; // skip link
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', route);
setUnauthorizedHandler(() => {
  // The session ended while the page was open (expired, signed out elsewhere): back to the login.
  if (session?.kind === 'user' && !['/login', '/setup'].includes(location.pathname)) {
    session = null;
    navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  }
});
route();
