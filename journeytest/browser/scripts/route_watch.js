// Reports same-document route changes (SPA pushState, back/forward, hash routes) to the harness;
// replaceState is left out as routers use it for redirects. Installed as an init script in every context.
(() => {
  if (window.top !== window || window.__journeytestWatching) return;
  window.__journeytestWatching = true;
  let last = location.href;
  const notify = () => {
    if (location.href === last) return;
    last = location.href;
    try { window.__journeytestRoute(location.href); } catch (e) {}
  };
  const push = history.pushState;
  history.pushState = function (...args) { const r = push.apply(this, args); notify(); return r; };
  addEventListener('popstate', notify);
  addEventListener('hashchange', notify);
})();
