// The signage player's service worker (ADR 0043): the player page and its static files,
// network first with the last copy as fallback, so that a player that reloads without
// network still starts and plays its cached schedule. Media are cached by the page itself
// (Cache Storage) and dropped when the schedule no longer lists them.
const SHELL = "signage-shell-v1";
const SCOPE = "{{ scope|escapejs }}";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname !== SCOPE && !url.pathname.startsWith("/static/")) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(SHELL).then((cache) => cache.put(event.request, copy)));
    }
    return response;
  }).catch(() => caches.match(event.request).then((found) => found || Response.error())));
});
