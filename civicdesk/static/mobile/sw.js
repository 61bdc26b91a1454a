// CivicDesk – Tổ lưu động: the service worker's logic. The view at /mobile/app/sw.js loads Workbox (vendored, by the
// static URLs of this deployment), sets `self.CD_MOBILE` = {shell, precache}, then imports this file.
//
// - The app's static files are precached (Workbox precaching: each URL with a revision; hashed URLs in production),
//   served from the cache, and the old ones removed when a new worker activates.
// - The shell page (/mobile/app/) is the signed-in user's page: network first (fresh CSRF cookie, fresh text), the
//   last copy when there is no network or it is too slow (4 s); it is fetched into the cache on install, so the app
//   opens offline even if the user never reloaded it online.
// - Nothing else is touched: the API goes to the network (the outbox, in IndexedDB, retries by itself).
/* global workbox */
(function () {
  "use strict";
  var config = self.CD_MOBILE;
  var SHELL_CACHE = "civicdesk-mobile-shell";

  workbox.core.setCacheNameDetails({ prefix: "civicdesk-mobile" });
  // A new version takes over at once: the shell it caches names the static files it precaches.
  self.skipWaiting();
  workbox.core.clientsClaim();
  workbox.precaching.cleanupOutdatedCaches();
  workbox.precaching.precacheAndRoute(config.precache);

  function cacheable(response) {
    return response && response.status === 200 && response.type === "basic" && !response.redirected;
  }

  self.addEventListener("install", function (event) {
    event.waitUntil(
      fetch(config.shell, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (cacheable(response)) {
            return caches.open(SHELL_CACHE).then(function (cache) { return cache.put(config.shell, response); });
          }
          return undefined;
        })
        .catch(function () {
          // Offline during install: the first online visit fills the cache.
        })
    );
  });

  workbox.routing.registerRoute(
    function (context) {
      return context.request.mode === "navigate" && context.url.pathname === config.shell;
    },
    new workbox.strategies.NetworkFirst({
      cacheName: SHELL_CACHE,
      networkTimeoutSeconds: 4,
      matchOptions: { ignoreSearch: true },
      plugins: [
        {
          // Only the page itself: never a redirect to the login page, an error, or another user's refusal.
          cacheWillUpdate: function (param) { return Promise.resolve(cacheable(param.response) ? param.response : null); },
          cacheKeyWillBeUsed: function () { return Promise.resolve(config.shell); },
        },
      ],
    })
  );
})();
