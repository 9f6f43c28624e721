// Installed before any script of the page (Playwright's addInitScript), so it sees every [data-panel] from its
// insertion on. Times are performance.now(): milliseconds from the start of this document's navigation.
(() => {
  const panels = {};   // name -> {state, readyMs}: readyMs = when it first left "loading" (a later refresh is ignored)
  let readyMs = null;  // when document.body.dataset.ready first became "true"
  performance.setResourceTimingBufferSize(2000); // the default 250 entries could drop a busy page's last requests

  const note = (el) => {
    const name = el.getAttribute('data-panel');
    const state = el.getAttribute('data-state');
    if (name === null || state === null) return;
    const p = panels[name] || (panels[name] = { state, readyMs: null });
    p.state = state;
    if (state !== 'loading' && p.readyMs === null) p.readyMs = performance.now();
  };
  const scan = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.hasAttribute('data-panel')) note(node);
    node.querySelectorAll('[data-panel]').forEach(note);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'childList') {
        r.addedNodes.forEach(scan);
      } else if (r.attributeName === 'data-state') {
        note(r.target);
      } else if (r.target === document.body && document.body.dataset.ready === 'true' && readyMs === null) {
        readyMs = performance.now();
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-ready'] });

  // Read once the page is ready: the render time, every request up to then, and each panel's time and state now.
  window.__sightlineBench = () => {
    const until = readyMs === null ? performance.now() : readyMs;
    const entries = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
      .filter((e) => e.startTime <= until);
    const sum = (key) => entries.reduce((total, e) => total + (e[key] || 0), 0);
    const now = {};
    document.querySelectorAll('[data-panel]').forEach((el) => { now[el.getAttribute('data-panel')] = el.getAttribute('data-state'); });
    return JSON.stringify({
      readyMs: until,
      requests: entries.length,
      transferBytes: sum('transferSize'),
      encodedBytes: sum('encodedBodySize'),
      panels: Object.keys(now).map((name) => ({
        name, state: now[name], readyMs: panels[name] ? panels[name].readyMs : null })),
    });
  };
})();
