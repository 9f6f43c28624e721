// PREVIEW ONLY, not a test: drives admin.js with a fake api over canned answers and a fake navigate.
import {render} from '../../../main/resources/web/admin.js';

const q = new URLSearchParams(location.search);
const fail = q.has('fail');
const empty = q.has('empty');
const now = Date.now();
const ago = (h) => new Date(now - h * 3600e3).toISOString();
const apps = empty ? [] : [
  {id: 1, name: 'AR Showroom', write_key: 'wk_x', created_at: ago(900), retention_days: 395, time_zone: 'Europe/Berlin'},
  {id: 2, name: 'Sneaker Try-On', write_key: 'wk_y', created_at: ago(200), retention_days: 90, time_zone: 'UTC'},
];
const data = {
  users: [
    {id: 1, email: 'admin@localhost', role: 'admin', app_ids: [], has_password: true, created_at: ago(900)},
    {id: 2, email: 'marketing@example.com', role: 'viewer', app_ids: [1, 2], has_password: false, created_at: ago(30)},
  ],
  share_links: [{id: 1, label: 'Agency weekly report', created_at: ago(100), revoked_at: null},
    {id: 2, label: 'Old pitch', created_at: ago(400), revoked_at: ago(50)}],
  api_tokens: [{id: 3, app_id: 1, label: 'BI nightly import', created_at: ago(300), revoked_at: null}],
  requests: [{id: 8, app_id: 1, action: 'delete', subject_kind: 'user_id', subject_hash: '5e8f0c1d2b3a49f6e7d8c9b0a1f2e3d4c5b6a7980f1e2d3c4b5a69788796a5b4', actor: 1, actor_kind: 'user', requested_at: ago(5), completed_at: ago(5), row_count: 17},
    {id: 7, app_id: 1, action: 'export', subject_kind: 'visitor_id', subject_hash: 'aa01bb02cc03dd04ee05ff06aa07bb08cc09dd10ee11ff12aa13bb14cc15dd16', actor: 1, requested_at: ago(30), completed_at: null, row_count: null}],
  destinations: [{id: 1, app_id: 1, type: 'meta', name: 'Meta main', enabled: true},
    {id: 2, app_id: 1, type: 'google_ads', name: 'Google Ads EU', enabled: false}],
  health: [{id: 1, name: 'Meta main', type: 'meta', enabled: true, delivered: 123456, retried: 12, failed: 3, dead: 2, expired: 0, skipped: 41, pending: 7, oldest_pending_at: ago(0.05), lag_seconds: 184},
    {id: 2, name: 'Google Ads EU', type: 'google_ads', enabled: false, delivered: 9120, retried: 0, failed: 0, dead: 0, expired: 1, skipped: 0, pending: 0, oldest_pending_at: null, lag_seconds: 0}],
  deliveries: [{event_id: '2c0e5b7a-8f1d-4e8b-9a51-0d9f3f6a7c21', occurred_at: ago(20), status: 'dead', attempts: 1, next_attempt_at: ago(20), queued_at: ago(20), updated_at: ago(19), error: 'Invalid parameter: event_time is too far in the past (code 100, subcode 2804004)'},
    {event_id: '7d1f0a3b-2c4e-4f5a-8b6c-9d0e1f2a3b4c', occurred_at: ago(26), status: 'dead', attempts: 20, next_attempt_at: ago(3), queued_at: ago(26), updated_at: ago(3), error: 'HTTP 500 after 20 attempts'}],
};

function problem(status, code, message, field) {
  return Object.assign(new Error(message), {status, code, field});
}

async function api(method, path, body) {
  await new Promise((r) => setTimeout(r, 150));
  if (fail && method === 'GET') throw problem(503, 'unavailable', 'The database is not reachable.', null);
  const route = `${method} ${path.replace(/\?.*/, '')}`;
  const m = (re) => re.test(route);
  if (m(/^GET \/api\/v1\/apps$/)) return {apps};
  if (m(/^POST \/api\/v1\/apps$/)) {
    if (!body.name) throw problem(400, 'invalid_value', 'name must be a string of 1 to 200 characters', 'name');
    const app = {id: apps.length + 1, write_key: 'wk_new_' + Math.random().toString(36).slice(2), created_at: new Date().toISOString(), retention_days: body.retention_days || 395, ...body};
    apps.push(app);
    return app;
  }
  if (m(/write-key$/)) return {...apps[0], write_key: 'wk_rotated_9f8e7d6c5b4a'};
  if (m(/^GET .*share-links$/)) return {share_links: empty ? [] : data.share_links};
  if (m(/^POST .*share-links$/)) return {id: 9, label: body.label, token: 'shr_abc', path: '/share/shr_abc123def456'};
  if (m(/^DELETE .*share-links/)) return null;
  if (m(/^GET .*api-tokens$/)) return {api_tokens: empty ? [] : data.api_tokens};
  if (m(/^POST .*api-tokens$/)) return {id: 4, app_id: 1, label: body.label, created_at: new Date().toISOString(), token: 'slr_0123456789abcdef'};
  if (m(/^DELETE .*api-tokens/)) return null;
  if (m(/^GET \/api\/v1\/users$/)) return {users: data.users};
  if (m(/^POST \/api\/v1\/users$/)) return {user: {id: 3, email: body.email, role: body.role}, password_link: '/setup#tok_abcdef'};
  if (m(/^PATCH \/api\/v1\/users/)) throw problem(409, 'last_admin', 'the last admin cannot be demoted', 'role');
  if (m(/password-link$/)) return {password_link: '/setup#tok_reset'};
  if (m(/^DELETE \/api\/v1\/users/)) throw problem(409, 'last_admin', 'the last admin cannot be deleted', null);
  if (m(/privacy\/requests$/)) return {requests: empty ? [] : data.requests};
  if (m(/privacy\/delete$/)) return {deleted: 17, request_id: 9, complete: true};
  if (m(/destinations\/health$/)) return {days: 7, destinations: empty ? [] : data.health};
  if (m(/^GET .*destinations$/)) return {destinations: empty ? [] : data.destinations};
  if (m(/^PATCH .*destinations/)) return {...data.destinations[0], enabled: body.enabled};
  if (m(/deliveries\/retry$/)) return {requeued: 2};
  if (m(/deliveries$/)) return {status: 'dead', deliveries: data.deliveries};
  throw problem(404, 'not_found', `preview has no answer for ${route}`, null);
}

const nav = document.querySelector('.preview-nav');
for (const page of ['apps', 'tokens', 'users', 'privacy', 'destinations']) {
  const a = document.createElement('a');
  a.href = `?page=${page}`;
  a.textContent = page;
  nav.append(a);
}

function navigate(url) {
  const u = new URL(url, location.origin);
  const page = u.pathname.split('/').pop();
  u.searchParams.set('page', page);
  history.pushState(null, '', `?${u.searchParams}`);
  show();
}

function show() {
  const params = new URLSearchParams(location.search);
  render(document.getElementById('root'), {page: params.get('page') || 'apps', params, api, navigate,
    session: {kind: 'user', user: {id: 1, email: 'admin@localhost', role: 'admin'}, csrf_token: 'x', apps}});
}
addEventListener('popstate', show);
show();
