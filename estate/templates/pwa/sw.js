{% load static %}// estate's service worker: the pages of the field view once seen, and the files they use, are
// kept so that a worker without signal can still open them; the steps taken then are kept by
// field.js. Pages: the network first, the kept copy without signal. Files: the kept copy.
const VERSION = "{{ version }}";
const PAGES = `pages-${VERSION}`;
const FILES = `files-${VERSION}`;
const SHELL = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const KEPT_PAGES = /^\/orders\/(jobs\/|\d+\/)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(FILES).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !n.endsWith(VERSION)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("{{ static_prefix|escapejs }}")) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
    return;
  }
  if (request.mode === "navigate" && KEPT_PAGES.test(url.pathname)) {
    event.respondWith(
      fetch(request)
        .then((answer) => {
          if (answer.ok && !answer.redirected) {
            const copy = answer.clone();
            caches.open(PAGES).then((cache) => cache.put(request, copy));
          }
          return answer;
        })
        .catch(() => caches.match(request).then((kept) => kept || Response.error())),
    );
  }
});
