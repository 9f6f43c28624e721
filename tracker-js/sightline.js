/* Sightline web tracker (README "Web tracker"). Hand-written, no build step, at most 3 KB gzipped.
   <script defer src="https://stats.example.com/sightline.js" data-write-key="wk_..."></script>
   No cookies, no storage: the server derives the visitor. Sends nothing under Do Not Track or GPC. */
(function (w, d, n) {
  'use strict';
  var script = d.currentScript;
  if (!script || (w.sightline && w.sightline.version)) return; // a module, or loaded twice
  var key = script.getAttribute('data-write-key');
  var endpoint = new URL('api/v1/analytics/web', script.src).href; // beside the script
  var optedOut = n.doNotTrack == '1' || !!n.globalPrivacyControl;
  var TYPES = ['qr_scan', 'placement', 'interaction', 'screenshot', 'conversion'];
  var BATCH = 50; // keepalive requests share a 64 KB budget
  var queue = [];
  var timer = 0;
  var lastView = '';
  var context = { locale: n.language };

  w.sightline = { version: 1, track: track, view: view, flush: flush };
  if (!key) console.warn('sightline: no data-write-key');
  if (optedOut || !key) return;

  var search = new URLSearchParams(location.search);
  ['source', 'medium', 'campaign', 'content', 'term'].forEach(function (k) {
    var v = search.get('utm_' + k);
    if (v) (context.campaign = context.campaign || {})['utm_' + k] = cut(v, 255);
  });

  function cut(s, max) {
    return String(s).slice(0, max);
  }

  // A random UUID (version 4), so that a batch sent again is stored once. crypto.randomUUID needs HTTPS.
  function uuid() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    var h = '';
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (i > 3 && i < 11 && !(i % 2) ? '-' : '') + (b[i] + 256).toString(16).slice(1);
    return h;
  }

  function send(type, name, properties) {
    if (optedOut || !key) return;
    var event = { event_id: uuid(), type: type, properties: properties || {}, context: context };
    if (name) event.name = cut(name, 100);
    queue.push(event);
    if (queue.length >= BATCH) flush();
    else if (!timer) timer = setTimeout(flush, 1000);
  }

  // One of the five types, a view, or else a custom event of that name.
  function track(type, properties) {
    if (type == 'screen_view') view(properties);
    else if (TYPES.indexOf(type) < 0) send('custom', type, properties);
    else send(type, 0, properties);
  }

  function view(properties) {
    var p = { url: cut(location.href, 2000), path: cut(location.pathname, 1000) };
    var referrer = lastView || d.referrer;
    if (referrer) p.referrer = cut(referrer, 2000);
    if (d.title) p.title = cut(d.title, 500);
    for (var k in properties) p[k] = properties[k];
    lastView = here();
    send('screen_view', 0, p);
  }

  function here() { // the address without its #hash
    return location.origin + location.pathname + location.search;
  }

  function autoView() {
    if (here() != lastView) view();
  }

  // When the page is hidden or left, by sendBeacon: the one request a closing page still delivers.
  function flush(hidden) {
    clearTimeout(timer);
    timer = 0;
    while (queue.length) {
      var body = JSON.stringify({ write_key: key, events: queue.splice(0, BATCH) });
      if (!(hidden === true && n.sendBeacon && n.sendBeacon(endpoint, body))) post(body, 0);
    }
  }

  // A string body is text/plain: no preflight. Retried with the same event ids on 503, 429 or a network error.
  function post(body, attempt) {
    fetch(endpoint, { method: 'POST', body: body, keepalive: true, credentials: 'omit' }).then(function (r) {
      if (r.status > 499 || r.status == 429) throw r;
    }).catch(function () {
      if (attempt < 5) setTimeout(post, 2000 << attempt, body, attempt + 1);
    });
  }

  d.addEventListener('visibilitychange', function () {
    if (d.visibilityState == 'hidden') flush(true);
  });
  w.addEventListener('pagehide', function () {
    flush(true);
  });

  if (script.getAttribute('data-auto-views') != 'false') {
    ['pushState', 'replaceState'].forEach(function (method) {
      var original = history[method];
      history[method] = function () {
        var result = original.apply(this, arguments);
        autoView();
        return result;
      };
    });
    w.addEventListener('popstate', autoView);
    autoView();
  }

  // Captured, so that a handler stopping the click does not hide it. data-sightline-cta-id gives cta_id.
  d.addEventListener('click', function (e) {
    var el = e.target.closest && e.target.closest('[data-sightline-event]');
    if (!el) return;
    var p = {};
    for (var i = 0, a; (a = el.attributes[i]); i++) {
      var k = /^data-sightline-/.test(a.name) && a.name.slice(15).replace(/-/g, '_');
      var v = a.value;
      if (k && k != 'event') p[k] = (k == 'value' || k == 'duration_ms') && v !== '' && isFinite(v) ? +v : v;
    }
    track(el.getAttribute('data-sightline-event'), p);
  }, true);

  // <model-viewer>: its events do not bubble, but the document sees them in the capture phase.
  var arStarted = new WeakMap();
  var cameras = new WeakMap();

  function objectId(el) {
    return cut(el.getAttribute('data-sightline-object-id') || el.id || (el.getAttribute('src') || 'model').split('/').pop(), 128);
  }

  d.addEventListener('ar-status', function (e) {
    var el = e.target;
    var status = e.detail && e.detail.status;
    if (status != 'session-started' && status != 'object-placed') return;
    var p = { object_id: objectId(el), ar_status: status };
    var placement = el.getAttribute('ar-placement');
    if (placement) p.surface = placement == 'wall' ? 'vertical' : 'horizontal';
    if (status == 'session-started') arStarted.set(el, Date.now());
    else if (arStarted.has(el)) p.duration_ms = Math.min(Date.now() - arStarted.get(el), 864e5);
    send('placement', 0, p);
  }, true);

  // A drag fires camera-change every frame: one interaction per element and kind a second at most. A changed
  // orbit radius is a zoom (scale), anything else a rotation.
  d.addEventListener('camera-change', function (e) {
    if (!e.detail || e.detail.source != 'user-interaction') return;
    var el = e.target;
    var state = cameras.get(el) || {};
    var radius = el.getCameraOrbit ? el.getCameraOrbit().radius : null;
    var kind = state.radius != null && radius != null && radius != state.radius ? 'scale' : 'rotate';
    var now = Date.now();
    cameras.set(el, state);
    state.radius = radius;
    if (now - (state[kind] || 0) < 1000) return;
    state[kind] = now;
    send('interaction', 0, { object_id: objectId(el), kind: kind });
  }, true);
})(window, document, navigator);
