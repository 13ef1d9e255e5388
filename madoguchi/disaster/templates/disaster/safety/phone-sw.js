// The 安否確認 phone page's Service Worker (version {{ version }}): the phone pages and the
// static files are fetched from the network when there is one (and the copy kept), and
// served from the copy when there is none. Records are not handled here: the page queues
// them in IndexedDB and sends them itself.
const CACHE = "madoguchi-safety-v1";
const STATIC = "{{ static_prefix|escapejs }}";
const PHONE = /\/disaster\/staff\/campaigns\/\d+\/phone\/$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!PHONE.test(url.pathname) && !url.pathname.startsWith(STATIC)) return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && response.type === "basic") {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
      }
      return response;
    }).catch(async () => {
      // cache.match() missed entries that matchAll() finds (Chromium 156, a page stored
      // from the window): take the first of matchAll.
      const cache = await caches.open(CACHE);
      const [hit] = await cache.matchAll(url.href, { ignoreVary: true });
      return hit || Response.error();
    }),
  );
});
