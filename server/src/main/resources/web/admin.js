// The dashboard's admin pages: apps (with share links), API tokens, users, privacy requests, destinations.
// The shell loads this module on demand and calls render(). Everything is built with createElement and
// textContent, so nothing an API answers is ever parsed as HTML, and no inline style is needed (the CSP forbids it).

const API = '/api/v1';
const numbers = new Intl.NumberFormat();
const dates = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});
const PLATFORMS = {meta: 'Meta', google_ads: 'Google Ads', ga4: 'GA4', linkedin: 'LinkedIn', x: 'X', umami: 'Umami'};
const HEALTH = ['delivered', 'retried', 'failed', 'dead', 'expired', 'skipped', 'pending'];
// Messages the API's own text does not make clear enough for a person at the page.
const FRIENDLY = {
  last_admin: 'Sightline needs at least one admin user: make another user an admin before removing or demoting this one.',
  csrf_failed: 'The page’s security token was refused. Reload the page and try again.',
};

let idCounter = 0;

/** Renders one admin page into root; {page, params, api, session, navigate} come from the shell. */
export async function render(root, ctx) {
  linkStyles();
  document.body.dataset.ready = 'false';
  const main = el('div', {class: 'page admin-page'}); // .page: the width and margins of every dashboard page
  root.replaceChildren(main);
  const page = PAGES[ctx.page];
  if (!page) {
    main.append(el('div', {class: 'notice notice-error', role: 'alert'}, `There is no admin page “${ctx.page}”.`));
  } else {
    await page(main, ctx);
  }
  main.dataset.setup = 'done';
  markReady(main);
}

const PAGES = {apps: appsPage, tokens: tokensPage, users: usersPage, privacy: privacyPage, destinations: destinationsPage};

// ---- small DOM and format helpers ----

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'value' || key === 'checked') node[key] = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const uid = (prefix) => `admin-${prefix}-${++idCounter}`;
const plural = (n, one, many) => `${numbers.format(n)} ${n === 1 ? one : many}`;

function num(value) {
  return el('span', {class: 'admin-num', 'data-value': value ?? ''}, value == null ? '–' : numbers.format(value));
}

function when(iso, none = '—') {
  if (!iso) return el('span', {class: 'muted'}, none);
  const d = new Date(iso);
  return el('time', {datetime: iso, title: iso}, Number.isNaN(d.getTime()) ? iso : dates.format(d));
}

/** Seconds as one rounded unit in the browser's locale: 45 s, 3.5 min, 2 h, 1.2 days. */
function duration(seconds) {
  const s = Number(seconds) || 0;
  const [value, unit] = s < 60 ? [s, 'second'] : s < 3600 ? [s / 60, 'minute'] : s < 86400 ? [s / 3600, 'hour']
    : [s / 86400, 'day'];
  const text = new Intl.NumberFormat(undefined, {style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1})
    .format(value);
  return el('span', {class: 'admin-num', 'data-value': s}, s === 0 ? '0' : text);
}

function chip(text, extra = '') {
  return el('span', {class: `chip ${extra}`.trim()}, text);
}

function table(caption, headers, rows) {
  // Each cell carries its column's name, which a phone shows beside the value when rows become cards.
  const labels = headers.map((h) => h.label ?? h);
  for (const row of rows) [...row.cells].forEach((td, i) => td.setAttribute('data-label', labels[i]));
  const t = el('table', {class: 'data admin-table'},
    el('caption', {class: 'admin-sr'}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {scope: 'col', class: h.num ? 'admin-num' : null},
      h.label ?? h)))),
    el('tbody', {}, rows));
  // A wide table scrolls inside its own box on a phone; the box is focusable so the keyboard can scroll it.
  return el('div', {class: 'admin-scroll', tabindex: '0', role: 'region', 'aria-label': caption}, t);
}

function cell(...content) {
  // One child only, so the phone layout (a grid of label and value) keeps the value in one piece.
  const parts = content.flat().filter((c) => c != null && c !== false);
  return el('td', {}, parts.length > 1 ? el('span', {}, parts) : parts);
}

function numCell(value) {
  return el('td', {class: 'admin-num'}, num(value));
}

function link(ctx, href, text, label) {
  return el('a', {href, 'aria-label': label, onclick: (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    ctx.navigate(href);
  }}, text);
}

function button(text, onclick, kind = '', props = {}) {
  return el('button', {type: 'button', class: `btn ${kind}`.trim(), onclick, ...props}, text);
}

/** Runs action with the button disabled, so a double click does not send twice. */
async function busy(btn, action) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}

function linkStyles() {
  if (document.querySelector('link[href*="admin.css"]')) return;
  const href = new URL('./admin.css', import.meta.url);
  href.search = new URL(import.meta.url).search; // keep the shell's cache-busting version
  document.head.append(el('link', {rel: 'stylesheet', href: href.href}));
}

// ---- notices, errors, secrets shown once, confirmation ----

/** Replaces what flash says, but keeps any secret shown once that has not been dismissed yet. */
function say(flash, ...nodes) {
  flash.replaceChildren(...flash.querySelectorAll('.admin-secret'), ...nodes);
}

function notice(text, kind = '') {
  return el('div', {class: `notice ${kind}`.trim(), role: kind === 'notice-error' ? 'alert' : 'status'}, text);
}

function errorNotice(err) {
  const known = FRIENDLY[err.code];
  return el('div', {class: 'notice notice-error', role: 'alert'},
    known || err.message || 'Something went wrong.',
    err.field ? el('span', {class: 'admin-field'}, ` Field: ${err.field}.`) : null,
    err.status ? el('span', {class: 'admin-code'}, ` (${err.status}${err.code ? ` ${err.code}` : ''})`) : null);
}

/** Shows err in flash; when it names a field of form, that field is marked invalid and focused. */
function showError(flash, err, form) {
  const box = errorNotice(err);
  say(flash, box);
  const field = err.field && form
    && form.querySelector(`[name="${CSS.escape(err.field)}"], [data-fields~="${CSS.escape(err.field)}"]`);
  if (field) {
    box.id = uid('error');
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-errormessage', box.id);
    field.focus();
  }
}

/** A secret the server shows only once, in a read-only box with a copy button. */
function showSecret(flash, title, value, note) {
  const id = uid('secret');
  const input = el('input', {id, type: 'text', readonly: true, value, class: 'admin-secret-value',
    spellcheck: 'false', autocomplete: 'off'});
  const copy = button('Copy', async () => {
    copy.textContent = (await copyText(input)) ? 'Copied' : 'Press Ctrl+C to copy';
  }, 'btn-primary');
  const box = el('div', {class: 'notice admin-secret'},
    el('label', {for: id, class: 'admin-secret-title'}, title),
    el('div', {class: 'admin-secret-row'}, input, copy),
    el('p', {class: 'admin-secret-note'}, `${note} It will not be shown again: copy it now.`),
    button('Done, I have copied it', () => {
      const heading = box.closest('section').querySelector('h2');
      box.remove();
      heading.tabIndex = -1;
      heading.focus(); // the focus must not vanish with the box
    }));
  say(flash, box);
  input.focus();
  input.select();
}

async function copyText(input) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // The clipboard API needs a secure context; plain http on another host falls back to the selection.
    return document.execCommand && document.execCommand('copy');
  }
}

/**
 * A modal confirmation; resolves true only for the confirm button. Escape and Cancel resolve false.
 * Cancel has the focus first, so Enter alone never destroys anything.
 */
function confirmDialog({title, message, confirm, danger = true, content = null}) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const textId = uid('dialog-text');
    const opener = document.activeElement;
    const cancel = el('button', {type: 'submit', value: 'cancel', class: 'btn', autofocus: true}, 'Cancel');
    const ok = el('button', {type: 'submit', value: 'confirm', class: danger ? 'btn btn-danger' : 'btn btn-primary'},
      confirm);
    const form = el('form', {method: 'dialog', class: 'admin-dialog-form'},
      el('h2', {id: titleId}, title),
      el('div', {id: textId, class: 'admin-dialog-text'}, message),
      content,
      el('div', {class: 'admin-dialog-actions'}, cancel, ok));
    const dialog = el('dialog', {class: 'dialog admin-dialog', 'aria-labelledby': titleId, 'aria-describedby': textId},
      form);
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue === 'confirm';
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(confirmed);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// ---- panels with loading, empty and error states ----

function panel(name, title, ...headExtras) {
  const heading = el('h2', {id: uid('panel')}, title);
  const flash = el('div', {class: 'admin-flash', 'aria-live': 'polite'});
  const body = el('div', {class: 'admin-body'});
  const section = el('section', {class: 'panel admin-panel', 'data-panel': name, 'data-state': 'ready',
    'aria-labelledby': heading.id}, el('div', {class: 'admin-head'}, heading, ...headExtras), flash, body);
  return {section, heading, flash, body};
}

/**
 * Fills p.body from fetch(): loading, then draw(data), the empty text when isEmpty(data), or the error with a retry
 * button. Sets data-state for the browser tests and returns the data (null after an error).
 */
async function load(p, {fetch, isEmpty = () => false, empty, draw}) {
  p.section.dataset.state = 'loading';
  p.section.setAttribute('aria-busy', 'true');
  p.body.replaceChildren(el('p', {class: 'muted admin-loading', role: 'status'}, 'Loading…'));
  let data = null;
  try {
    data = await fetch();
    if (isEmpty(data)) {
      p.body.replaceChildren(el('div', {class: 'empty'}, empty));
      p.section.dataset.state = 'empty';
    } else {
      p.body.replaceChildren(draw(data));
      p.section.dataset.state = 'ready';
    }
  } catch (err) {
    p.body.replaceChildren(errorNotice(err),
      button('Try again', () => (p.retry ? p.retry() : load(p, {fetch, isEmpty, empty, draw}))));
    p.section.dataset.state = 'error';
    data = null;
  }
  p.section.removeAttribute('aria-busy');
  markReady(p.section.closest('.admin-page'));
  return data;
}

/** Tells the browser tests the page is drawn: no panel of the current render is still loading. */
function markReady(main) {
  // A render replaced by a newer one is detached, so its late loads change nothing.
  if (!main || !main.isConnected || main.dataset.setup !== 'done') return;
  if (!main.querySelector('[data-state="loading"]')) document.body.dataset.ready = 'true';
}

function pageTitle(text, lead) {
  return el('header', {class: 'admin-title'}, el('h1', {}, text), lead ? el('p', {class: 'muted'}, lead) : null);
}

function field(label, control, hint) {
  control.id = control.id || uid('field');
  const hintNode = hint ? el('p', {class: 'muted admin-hint', id: uid('hint')}, hint) : null;
  if (hintNode) control.setAttribute('aria-describedby', hintNode.id);
  return el('div', {class: 'form-row'}, el('label', {for: control.id}, label), control, hintNode);
}

/** Submits form through action with the button disabled; an API error lands in flash, at its field. */
function onSubmit(form, flash, action) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.querySelectorAll('[aria-invalid]').forEach((f) => f.removeAttribute('aria-invalid'));
    say(flash);
    const submit = form.querySelector('button[type="submit"]');
    try {
      await busy(submit, action);
    } catch (err) {
      showError(flash, err, form);
    }
  });
}

/**
 * A row button's click: ask() (a confirmation, may be null) first, then action with the button disabled; an error
 * goes to the panel's flash. When the action redrew the table, the focus moves to the panel's heading instead of
 * being lost with the button.
 */
function rowAction(p, ask, action) {
  return async (e) => {
    const btn = e.currentTarget;
    if (ask && !(await confirmDialog(ask()))) return;
    say(p.flash);
    try {
      await busy(btn, action);
    } catch (err) {
      showError(p.flash, err, null);
    }
    if (!btn.isConnected) {
      p.heading.tabIndex = -1;
      p.heading.focus();
    }
  };
}

// ---- the app a per-app page works on ----

/**
 * Loads the apps, shows the picker, and returns {apps, app}: the app of ?app=, else the first one. Returns null
 * (having said why on the page) when there is none to show.
 */
async function pickApp(main, ctx) {
  const bar = el('div', {class: 'admin-toolbar', 'data-panel': 'app-picker', 'data-state': 'loading'},
    el('p', {class: 'muted', role: 'status'}, 'Loading apps…'));
  main.append(bar);
  let apps;
  try {
    apps = (await ctx.api('GET', `${API}/apps`)).apps || [];
  } catch (err) {
    bar.replaceChildren(errorNotice(err));
    bar.dataset.state = 'error';
    return null;
  }
  if (apps.length === 0) {
    bar.replaceChildren(el('div', {class: 'empty'}, 'There is no app yet. ',
      link(ctx, '/admin/apps', 'Create the first app'), '.'));
    bar.dataset.state = 'empty';
    return null;
  }
  const wanted = ctx.params.get('app');
  const app = wanted == null ? apps[0] : apps.find((a) => String(a.id) === wanted);
  const select = el('select', {name: 'app'}, apps.map((a) => el('option', {value: String(a.id),
    selected: app && a.id === app.id}, `${a.name} (#${a.id})`)));
  select.addEventListener('change', () => ctx.navigate(`/admin/${ctx.page}?app=${encodeURIComponent(select.value)}`));
  bar.replaceChildren(field('App', select));
  bar.dataset.state = 'ready';
  if (!app) {
    bar.append(el('div', {class: 'notice notice-error', role: 'alert'}, `There is no app with id “${wanted}”. Choose one above.`));
    return null;
  }
  return {apps, app};
}

// ---- apps and their share links ----

async function appsPage(main, ctx) {
  main.append(pageTitle('Apps', 'Each app has its own write key, time zone and retention.'));
  const list = panel('apps', 'Apps');
  const create = panel('app-create', 'Create an app');
  main.append(list.section, create.section);
  const where = create.section; // share links go between the list and the form
  const selected = ctx.params.get('app');
  let shares = null;
  const reload = () => load(list, {
    fetch: async () => (await ctx.api('GET', `${API}/apps`)).apps || [],
    isEmpty: (a) => a.length === 0,
    empty: 'There is no app yet. Create the first one below.',
    draw: (apps) => table('Apps', ['Name', {label: 'Id', num: true}, 'Time zone', {label: 'Retention', num: true},
      'Created', 'Actions'], apps.map((app) => el('tr', {'data-app-id': app.id,
      class: String(app.id) === selected ? 'admin-selected' : null},
    cell(el('strong', {}, app.name)), numCell(app.id), cell(app.time_zone),
    el('td', {class: 'admin-num'}, el('span', {}, num(app.retention_days), ' days')), cell(when(app.created_at)),
    cell(el('div', {class: 'admin-actions'},
      button('Rotate write key…', rowAction(list, () => ({
        title: `Rotate the write key of ${app.name}?`,
        message: 'The current key stops working at once (within 10 seconds on other instances): every copy of '
          + 'the app that sends with it is refused until it is given the new key.',
        confirm: 'Rotate write key'}), async () => {
        const rotated = await ctx.api('POST', `${API}/apps/${app.id}/write-key`);
        showSecret(list.flash, `New write key of ${app.name}`, rotated.write_key,
          'Put it in the app’s SDK configuration.');
      }), '', {'aria-label': `Rotate the write key of ${app.name}`}),
      link(ctx, `/admin/apps?app=${app.id}`, 'Share links'),
      link(ctx, `/admin/tokens?app=${app.id}`, 'API tokens'),
      link(ctx, `/admin/destinations?app=${app.id}`, 'Destinations')))))),
  });
  create.body.append(appForm(ctx, create, async (app) => {
    await reload();
    if (!shares) shares = await shareLinks(main, where, ctx, app);
  }));
  const apps = await reload();
  if (apps && apps.length > 0) {
    shares = await shareLinks(main, where, ctx, apps.find((a) => String(a.id) === selected) || apps[0]);
    if (selected) {
      shares.heading.tabIndex = -1;
      shares.heading.focus();
    }
  } else if (selected) {
    say(list.flash, notice(`There is no app with id “${selected}”.`, 'notice-error'));
  }
}

function timeZones() {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // an older browser: UTC and the browser's own zone are still offered
  }
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [...new Set(['UTC', local, ...zones].filter(Boolean))];
}

function appForm(ctx, create, created) {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const name = el('input', {name: 'name', type: 'text', required: true, maxlength: '200', autocomplete: 'off'});
  const zone = el('select', {name: 'time_zone'}, timeZones().map((z) => el('option', {value: z, selected: z === local},
    z.replaceAll('_', ' '))));
  const retention = el('input', {name: 'retention_days', type: 'number', min: '1', max: '3650', step: '1',
    inputmode: 'numeric'});
  const form = el('form', {class: 'admin-form'},
    field('Name', name),
    field('Time zone', zone, 'Days and months in the stats start at midnight in this zone.'),
    field('Retention (days)', retention, 'How long raw events are kept, 1 to 3,650. Empty: the server’s default.'),
    el('div', {class: 'admin-actions'}, el('button', {type: 'submit', class: 'btn btn-primary'}, 'Create app')));
  onSubmit(form, create.flash, async () => {
    const body = {name: name.value.trim(), time_zone: zone.value};
    if (retention.value !== '') body.retention_days = Number(retention.value);
    const app = await ctx.api('POST', `${API}/apps`, body);
    form.reset();
    zone.value = local;
    showSecret(create.flash, `Write key of ${app.name} (app #${app.id})`, app.write_key,
      'Put it in the app’s SDK configuration.');
    await created(app);
  });
  return form;
}

// ---- share links and API tokens ----

/** The share links panel of one app; returns it. */
async function shareLinks(main, before, ctx, app) {
  const p = panel('share-links', `Share links of ${app.name}`);
  p.section.insertBefore(el('p', {class: 'muted admin-lead'}, 'A share link opens this app’s overview read-only, '
    + 'without signing in. Anyone holding it can read the stats until it is revoked.'), p.flash);
  main.insertBefore(p.section, before);
  await revocables(ctx, p, {path: `${API}/apps/${app.id}/share-links`, key: 'share_links', noun: 'share link',
    warning: 'Whoever has the link loses access at once.', hint: 'Who the link is for, for example “Agency report”.',
    secret: (made) => [location.origin + made.path, 'Send it to whoever should see this app’s stats.']});
  return p;
}

async function tokensPage(main, ctx) {
  main.append(pageTitle('API tokens', 'Read-only tokens for the stats API of one app (Authorization: Bearer …).'));
  const picked = await pickApp(main, ctx);
  if (!picked) return;
  const p = panel('api-tokens', `API tokens of ${picked.app.name}`);
  main.append(p.section);
  await revocables(ctx, p, {path: `${API}/apps/${picked.app.id}/api-tokens`, key: 'api_tokens', noun: 'API token',
    warning: 'Every script or report that uses it is refused from now on.',
    hint: 'What uses it, for example “BI nightly import”.',
    secret: (made) => [made.token, 'Send it as Authorization: Bearer <token>.']});
}

/**
 * Share links and API tokens work alike: a labelled list with revoke, and a form that makes a new one whose secret
 * is shown once. {path, key: the answer's list member, noun, warning, hint, secret: made => [value, note]}.
 */
async function revocables(ctx, p, {path, key, noun, warning, hint, secret}) {
  const reload = () => load(p, {
    fetch: async () => (await ctx.api('GET', path))[key] || [],
    isEmpty: (rows) => rows.length === 0,
    empty: `No ${noun} yet.`,
    draw: (rows) => table(p.heading.textContent, ['Label', 'Created', 'Status', 'Actions'],
      rows.map((r) => el('tr', {'data-id': r.id}, cell(r.label), cell(when(r.created_at)),
        cell(r.revoked_at ? [chip('Revoked', 'admin-off'), ' ', when(r.revoked_at)] : chip('Active', 'admin-on')),
        cell(r.revoked_at ? null : button('Revoke…', rowAction(p, () => ({title: `Revoke the ${noun} “${r.label}”?`,
          message: `${warning} This cannot be undone.`, confirm: `Revoke ${noun}`}), async () => {
          await ctx.api('DELETE', `${path}/${r.id}`);
          await reload();
          say(p.flash, notice(`The ${noun} “${r.label}” is revoked.`));
        }), 'btn-danger', {'aria-label': `Revoke the ${noun} ${r.label}`}))))),
  });
  const label = el('input', {name: 'label', type: 'text', required: true, maxlength: '200', autocomplete: 'off'});
  const form = el('form', {class: 'admin-form admin-inline'}, field(`Label of a new ${noun}`, label, hint),
    el('div', {class: 'admin-actions'}, el('button', {type: 'submit', class: 'btn btn-primary'}, `Create ${noun}`)));
  onSubmit(form, p.flash, async () => {
    const made = await ctx.api('POST', path, {label: label.value.trim()});
    form.reset();
    await reload();
    showSecret(p.flash, `${noun[0].toUpperCase()}${noun.slice(1)} “${made.label}”`, ...secret(made));
  });
  p.section.append(form);
  await reload();
}

// ---- users ----

async function usersPage(main, ctx) {
  main.append(pageTitle('Users', 'Admins manage everything; viewers read the stats of the apps they are given.'));
  const list = panel('users', 'Users');
  const create = panel('user-create', 'Add a user');
  main.append(list.section, create.section);
  let apps = [];
  const names = () => new Map(apps.map((a) => [a.id, a.name]));
  const reload = () => load(list, {
    fetch: async () => {
      const [u, a] = await Promise.all([ctx.api('GET', `${API}/users`), ctx.api('GET', `${API}/apps`)]);
      apps = a.apps || [];
      return u.users || [];
    },
    isEmpty: (u) => u.length === 0,
    empty: 'There is no user yet.',
    draw: (users) => table('Users', ['Email', 'Role', 'Apps', 'Password', 'Created', 'Actions'],
      users.map((u) => userRow(ctx, list, u, names(), () => apps, reload))),
  });
  // The form offers the apps as checkboxes, so it waits for them (and comes back with a retry of the list).
  list.retry = async () => {
    create.body.replaceChildren(el('p', {class: 'muted', role: 'status'}, 'Waiting for the list of apps…'));
    if (await reload()) create.body.replaceChildren(userForm(ctx, create, apps, reload));
  };
  await list.retry();
}

function userRow(ctx, list, u, names, apps, reload) {
  const me = ctx.session && ctx.session.user && ctx.session.user.id === u.id;
  const appCell = u.role === 'admin' ? el('span', {class: 'muted'}, 'All apps')
    : (u.app_ids || []).length === 0 ? el('span', {class: 'muted'}, 'None')
      : el('span', {class: 'admin-chips'}, u.app_ids.map((id) => chip(names.get(id) || `#${id}`)));
  let edit = null;
  return el('tr', {'data-user-id': u.id},
    cell(el('strong', {}, u.email), me ? el('span', {class: 'muted'}, ' (you)') : null),
    cell(chip(u.role === 'admin' ? 'Admin' : 'Viewer', u.role === 'admin' ? 'admin-on' : '')),
    cell(appCell),
    cell(u.has_password ? 'Set' : el('span', {class: 'muted'}, 'Not set yet')),
    cell(when(u.created_at)),
    cell(el('div', {class: 'admin-actions'},
      button('Edit…', rowAction(list, () => {
        edit = accessFields(u.role, u.app_ids || [], apps());
        return {title: `Edit ${u.email}`, message: 'Change the role and the apps this user can read.',
          confirm: 'Save', danger: false, content: edit.node};
      }, async () => {
        await ctx.api('PATCH', `${API}/users/${u.id}`, edit.value());
        await reload();
        say(list.flash, notice(`${u.email} is saved.`));
      }), '', {'aria-label': `Edit ${u.email}`}),
      button('Password link…', rowAction(list, () => ({title: `New password link for ${u.email}?`,
        message: 'The user is signed out everywhere and sets a new password with the link (valid 7 days).',
        confirm: 'Make link', danger: false}), async () => {
        const made = await ctx.api('POST', `${API}/users/${u.id}/password-link`);
        showSecret(list.flash, `Password link for ${u.email}`, location.origin + made.password_link,
          'Send it to the user: it works once, for 7 days.');
      }), '', {'aria-label': `Make a password link for ${u.email}`}),
      button('Delete…', rowAction(list, () => ({title: `Delete the user ${u.email}?`,
        message: 'Their sessions end and they cannot sign in any more. This cannot be undone.',
        confirm: 'Delete user'}), async () => {
        await ctx.api('DELETE', `${API}/users/${u.id}`);
        await reload();
        say(list.flash, notice(`${u.email} is deleted.`));
      }), 'btn-danger', {'aria-label': `Delete ${u.email}`}))));
}

/** Role select plus app checkboxes (only viewers are limited to apps); value() gives the PATCH/POST fields. */
function accessFields(role, appIds, apps) {
  const select = el('select', {name: 'role'}, el('option', {value: 'viewer', selected: role !== 'admin'}, 'Viewer'),
    el('option', {value: 'admin', selected: role === 'admin'}, 'Admin'));
  const boxes = apps.map((a) => el('input', {type: 'checkbox', name: 'app_ids', value: String(a.id),
    checked: appIds.includes(a.id)}));
  const set = el('fieldset', {class: 'admin-checks', 'data-fields': 'app_ids'},
    el('legend', {}, 'Apps a viewer can read'),
    apps.length === 0 ? el('p', {class: 'muted'}, 'There is no app yet.') : null,
    apps.map((a, i) => el('label', {class: 'admin-check'}, boxes[i], ` ${a.name}`)));
  const sync = () => {
    set.disabled = select.value === 'admin';
  };
  select.addEventListener('change', sync);
  sync();
  const node = el('div', {class: 'admin-access'}, field('Role', select, 'Admins see and manage every app.'), set);
  const value = () => ({role: select.value,
    app_ids: select.value === 'admin' ? [] : boxes.filter((b) => b.checked).map((b) => Number(b.value))});
  return {node, value};
}

function userForm(ctx, create, apps, reload) {
  const email = el('input', {name: 'email', type: 'email', required: true, autocomplete: 'off', maxlength: '254'});
  const access = accessFields('viewer', [], apps);
  const form = el('form', {class: 'admin-form'}, field('Email', email), access.node,
    el('div', {class: 'admin-actions'}, el('button', {type: 'submit', class: 'btn btn-primary'}, 'Add user')));
  onSubmit(form, create.flash, async () => {
    const made = await ctx.api('POST', `${API}/users`, {email: email.value.trim(), ...access.value()});
    form.reset();
    form.querySelector('select').dispatchEvent(new Event('change'));
    showSecret(create.flash, `Password link for ${made.user.email}`, location.origin + made.password_link,
      'Send it to the user to set a password: it works once, for 7 days.');
    await reload();
  });
  return form;
}

// ---- privacy requests ----

async function privacyPage(main, ctx) {
  main.append(pageTitle('Privacy requests', 'Export (GDPR access) or delete (erasure) every event of one visitor or user.'));
  const picked = await pickApp(main, ctx);
  if (!picked) return;
  const {app} = picked;
  const ask = panel('privacy-request', 'Export or delete');
  const past = panel('privacy-requests', 'Past requests');
  main.append(ask.section, past.section);
  const base = `${API}/apps/${app.id}/privacy`;
  const reload = () => load(past, {
    fetch: async () => (await ctx.api('GET', `${base}/requests`)).requests || [],
    isEmpty: (r) => r.length === 0,
    empty: 'No privacy request for this app yet.',
    draw: (rows) => table(`Privacy requests of ${app.name}`, [{label: 'Id', num: true}, 'Action', 'Subject', 'By',
      'Requested', 'Completed', {label: 'Events', num: true}], rows.map((r) => el('tr', {}, numCell(r.id),
      cell(chip(r.action === 'delete' ? 'Delete' : 'Export', r.action === 'delete' ? 'admin-off' : '')),
      cell(el('span', {class: 'muted'}, r.subject_kind === 'user_id' ? 'user ' : 'visitor '),
        el('code', {class: 'admin-hash', title: `SHA-256 ${r.subject_hash}`}, `${String(r.subject_hash).slice(0, 12)}…`)),
      cell(`${r.actor_kind === 'user' ? 'user' : 'admin token'} #${r.actor}`),
      cell(when(r.requested_at)), cell(when(r.completed_at, 'Not finished')), numCell(r.row_count)))),
  });

  const kindName = uid('kind');
  const kinds = [['visitor_id', 'Visitor id'], ['user_id', 'User id']].map(([value, text], i) => el('label',
    {class: 'admin-check'}, el('input', {type: 'radio', name: kindName, value, checked: i === 0}), ` ${text}`));
  const id = el('input', {name: 'subject', 'data-fields': 'visitor_id user_id', type: 'text', required: true,
    maxlength: '128', autocomplete: 'off', spellcheck: 'false'});
  const form = el('form', {class: 'admin-form'},
    el('fieldset', {class: 'admin-checks admin-radios'}, el('legend', {}, 'Identify by'), kinds),
    field('Visitor or user id', id, 'Exactly as the app sends it, 1 to 128 characters. Only its SHA-256 is kept in the log below.'));
  const kind = () => form.querySelector(`input[name="${kindName}"]:checked`).value;
  const who = (which, subject) => `${which === 'user_id' ? 'user' : 'visitor'} “${subject}”`;
  const exportBtn = el('button', {type: 'submit', class: 'btn btn-primary'}, 'Export events');
  const deleteBtn = button('Delete events…', async () => {
    if (!form.reportValidity()) return;
    const subject = id.value;
    const which = kind();
    const ok = await confirmDialog({
      title: `Delete every event of ${who(which, subject)}?`,
      message: `All events of ${which} “${subject}” in ${app.name} are deleted, with their pending forwarding. `
        + 'This cannot be undone.',
      confirm: 'Delete events'});
    if (!ok) return;
    say(ask.flash);
    try {
      const done = await busy(deleteBtn, () => ctx.api('POST', `${base}/delete`, {[which]: subject}));
      say(ask.flash, notice(`Deleted ${plural(done.deleted, 'event', 'events')} of ${who(which, subject)} `
        + `(request #${done.request_id}).`));
      if (!done.complete) {
        ask.flash.append(notice('Events kept arriving for this id while deleting: everything stored before the '
          + 'request is gone, but stop the sender and delete again.', 'notice-error'));
      }
      await reload();
    } catch (err) {
      showError(ask.flash, err, form);
    }
  }, 'btn-danger');
  form.append(el('div', {class: 'admin-actions'}, exportBtn, deleteBtn));
  onSubmit(form, ask.flash, async () => {
    const which = kind();
    const count = await download(`${base}/export?${which}=${encodeURIComponent(id.value)}`,
      `sightline-app${app.id}-${which}-${id.value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}.ndjson`);
    say(ask.flash, count.error
      ? notice(`The export stopped early after ${plural(count.lines, 'event', 'events')}: ${count.error}`, 'notice-error')
      : notice(`Exported ${plural(count.lines, 'event', 'events')} of ${who(which, id.value)} as NDJSON.`));
    await reload();
  });
  ask.body.append(form);
  await reload();
}

/** GETs the NDJSON export with the session cookie and saves it as a file; returns {lines, error}. */
async function download(url, filename) {
  const res = await fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/x-ndjson'}});
  if (!res.ok) {
    let body = null;
    try {
      body = (await res.json()).error;
    } catch {
      // not JSON: the status says enough
    }
    throw Object.assign(new Error((body && body.message) || 'The export failed.'),
      {status: res.status, code: body && body.code, field: body && body.field});
  }
  const text = await res.text();
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let error = null;
  if (lines.length) {
    // A stream that failed midway ends with an {"error": …} line instead of an event.
    try {
      const last = JSON.parse(lines[lines.length - 1]);
      if (last && last.error && !last.event_id) {
        error = last.error.message || 'unknown error';
        lines.pop();
      }
    } catch {
      // a damaged last line is still saved as it came
    }
  }
  const href = URL.createObjectURL(new Blob([text], {type: 'application/x-ndjson'}));
  const a = el('a', {href, download: filename, class: 'admin-sr'});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30000);
  return {lines: lines.length, error};
}

// ---- destinations and their delivery health ----

async function destinationsPage(main, ctx) {
  main.append(pageTitle('Destinations', 'Where events are forwarded, and how the deliveries went.'));
  const picked = await pickApp(main, ctx);
  if (!picked) return;
  const {app} = picked;
  const days = 7;
  const base = `${API}/apps/${app.id}/destinations`;
  const list = panel('destinations', `Destinations of ${app.name}`, el('span', {class: 'muted'},
    `Deliveries of the last ${days} days; pending and lag as of now`));
  main.append(list.section);
  let joined = [];
  const reload = () => load(list, {
    fetch: async () => {
      const [d, h] = await Promise.all([ctx.api('GET', base), ctx.api('GET', `${base}/health?days=${days}`)]);
      const health = new Map((h.destinations || []).map((x) => [x.id, x]));
      joined = (d.destinations || []).map((x) => ({...health.get(x.id), ...x}));
      return joined;
    },
    isEmpty: (rows) => rows.length === 0,
    empty: 'This app forwards to no destination. Destinations are created through the API (see the README).',
    draw: (rows) => table(`Destinations of ${app.name}, last ${days} days`, ['Name', 'Forwarding',
      ...HEALTH.map((h) => ({label: h[0].toUpperCase() + h.slice(1), num: true})), {label: 'Lag', num: true},
      'Dead letters'], rows.map((d) => el('tr', {'data-destination-id': d.id},
      cell(el('strong', {}, d.name), el('span', {class: 'muted admin-type'}, PLATFORMS[d.type] || d.type)),
      cell(toggle(ctx, list, base, d)),
      HEALTH.map((h) => el('td', {class: h === 'dead' && d.dead ? 'admin-num admin-bad' : 'admin-num'}, num(d[h] ?? 0))),
      el('td', {class: 'admin-num', title: d.oldest_pending_at ? `Oldest waiting since ${d.oldest_pending_at}` : null},
        duration(d.lag_seconds)),
      cell(link(ctx, `/admin/destinations?app=${app.id}&dest=${d.id}`, d.dead ? `Show ${numbers.format(d.dead)}` : 'Show',
        `Dead letters of ${d.name}`)))))});
  await reload();
  const dest = joined.find((d) => String(d.id) === ctx.params.get('dest'));
  if (dest) await deadLetters(main, ctx, base, dest, reload);
  else if (ctx.params.get('dest') && list.section.dataset.state !== 'error') {
    say(list.flash, notice(`This app has no destination with id “${ctx.params.get('dest')}”.`,
      'notice-error'));
  }
}

/** The forwarding switch of one destination; turning it off asks first, since events meanwhile are not queued. */
function toggle(ctx, list, base, d) {
  const box = el('input', {type: 'checkbox', role: 'switch', checked: d.enabled,
    'aria-label': `Forwarding to ${d.name}`});
  const state = el('span', {}, d.enabled ? 'On' : 'Off');
  box.addEventListener('change', async () => {
    const enabled = box.checked;
    say(list.flash);
    if (!enabled && !(await confirmDialog({title: `Stop forwarding to ${d.name}?`,
      message: 'Events that arrive while it is off are not queued for it and are not sent later.',
      confirm: 'Turn off'}))) {
      box.checked = true;
      return;
    }
    box.disabled = true;
    try {
      const saved = await ctx.api('PATCH', `${base}/${d.id}`, {enabled});
      d.enabled = saved ? saved.enabled : enabled;
      box.checked = d.enabled;
      state.textContent = d.enabled ? 'On' : 'Off';
      say(list.flash, notice(`Forwarding to ${d.name} is ${d.enabled ? 'on' : 'off'}.`));
    } catch (err) {
      box.checked = !enabled;
      showError(list.flash, err, null);
    } finally {
      box.disabled = false;
    }
  });
  return el('label', {class: 'admin-switch'}, box, state);
}

async function deadLetters(main, ctx, base, dest, reloadList) {
  const requeue = button('Re-queue dead deliveries…', null, 'btn-primary');
  const p = panel('dead-letters', `Dead letters of ${dest.name}`, requeue);
  main.append(p.section);
  // The user asked for this panel by a link in the table: take them (and a screen reader) there.
  p.heading.tabIndex = -1;
  p.heading.focus();
  const path = `${base}/${dest.id}/deliveries`;
  let shown = 0;
  const reload = async () => {
    const rows = await load(p, {
      fetch: async () => (await ctx.api('GET', `${path}?status=dead&limit=100`)).deliveries || [],
      isEmpty: (r) => r.length === 0,
      empty: 'No dead letters: every delivery went through or is still being tried.',
      draw: (rows) => el('div', {},
        rows.length >= 100 ? el('p', {class: 'muted'}, 'The latest 100 are shown.') : null,
        table(`Dead letters of ${dest.name}`, ['Event', 'Occurred', {label: 'Attempts', num: true}, 'Last try',
          'Error'], rows.map((r) => el('tr', {}, cell(el('code', {class: 'admin-hash'}, r.event_id)),
          cell(when(r.occurred_at)), numCell(r.attempts), cell(when(r.updated_at)),
          el('td', {class: 'admin-error'}, r.error || '—'))))),
    });
    shown = rows ? rows.length : 0;
    requeue.hidden = shown === 0;
  };
  requeue.addEventListener('click', rowAction(p, () => ({
    title: `Re-queue the dead deliveries of ${dest.name}?`,
    message: `Every dead delivery of this destination (${shown >= 100 ? 'at least 100' : numbers.format(shown)}) `
      + 'is sent again, with the same event id, so the platform counts each one once.',
    confirm: 'Re-queue', danger: false}), async () => {
    const done = await ctx.api('POST', `${path}/retry`, {status: 'dead'});
    await Promise.all([reload(), reloadList()]);
    say(p.flash, notice(`Re-queued ${plural(done.requeued, 'delivery', 'deliveries')}.`));
  }));
  await reload();
}
