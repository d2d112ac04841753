// MoE Lab's service worker: the lab reloads offline after its first visit.
// Built by build/hosting.ts, which replaces the manifest below with the files of this build.
// - The shell (index.html, hashed assets, onnxruntime-web's runtime) is precached at install.
// - Navigations to the lab: network first (a new deployment shows up at once), the cached
//   index.html when offline or when the network takes more than NAV_TIMEOUT_MS.
// - Hashed assets: cache first (their names change with their content), kept forever.
// - Anything else under the scope (model packs, JSON): the network, and when it fails, any copy
//   in this origin's caches — the pack loader keeps packs in its own versioned cache
//   (src/loading/modelCache.ts), so a pack loaded once also loads offline. Range requests (a
//   resumed download) are left to the browser.
// Everything is resolved against the worker's scope, so it works under any sub-path.
/* global self, caches, fetch, URL, Response, setTimeout, clearTimeout */

const MANIFEST = /* __MOE_LAB_PRECACHE_MANIFEST__ */ { version: 'unbuilt', entries: [] };
const NAV_TIMEOUT_MS = 4000;

const SCOPE = self.registration.scope;
// The scope is part of the name: two deployments on one origin (/moe-lab/, /moe-lab-next/) each
// keep and clean up only their own caches.
const PREFIX = `moe-lab-shell ${SCOPE} `;
const CACHE = PREFIX + MANIFEST.version;
const MANIFEST_KEY = new URL('__precache-manifest.json', SCOPE).href;
const abs = (u) => new URL(u, SCOPE).href;
const PRECACHED = new Set(MANIFEST.entries.map((e) => abs(e.url)));
const INDEX = abs('index.html');
// Other names of precached bytes (the same wasm emitted twice) → the one stored.
const ALIASES = new Map(
  MANIFEST.entries.flatMap((e) => (e.aliases ?? []).map((a) => [abs(a), abs(e.url)])),
);
const HASHED = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

// A redirected response cannot answer a navigation; keep only status, headers and body.
async function storable(res) {
  if (!res.redirected) return res;
  return new Response(await res.blob(), { status: res.status, headers: res.headers });
}

// Older versions of this shell, and what they hold: unchanged files are copied, not downloaded.
async function previousRevisions() {
  const found = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const res = await (await caches.open(name)).match(MANIFEST_KEY);
    if (!res) continue;
    try {
      for (const e of (await res.json()).entries)
        found.set(abs(e.url), { name, revision: e.revision });
    } catch {
      // A damaged manifest only costs a download.
    }
  }
  return found;
}

async function precache() {
  const cache = await caches.open(CACHE);
  const previous = await previousRevisions();
  await Promise.all(
    MANIFEST.entries.map(async (entry) => {
      const url = abs(entry.url);
      if (await cache.match(url)) return;
      const prev = previous.get(url);
      if (prev && prev.revision === entry.revision) {
        const old = await (await caches.open(prev.name)).match(url);
        if (old) return cache.put(url, old);
      }
      // Hashed names may come from the HTTP cache; fixed names must be revalidated.
      const res = await fetch(url, { cache: HASHED.test(url) ? 'default' : 'no-cache' });
      if (!res.ok) throw new Error(`precache ${entry.url}: HTTP ${res.status}`);
      await cache.put(url, await storable(res));
    }),
  );
  await cache.put(
    MANIFEST_KEY,
    new Response(JSON.stringify(MANIFEST), { headers: { 'content-type': 'application/json' } }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function fromCache(url) {
  const cache = await caches.open(CACHE);
  return (await cache.match(url)) ?? (await caches.match(url));
}

async function networkFirst(request) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, NAV_TIMEOUT_MS, null);
  });
  const network = fetch(request).catch(() => null);
  const res = await Promise.race([network, timeout]);
  clearTimeout(timer);
  if (res && (res.ok || res.status === 304)) return res;
  const cached = await fromCache(INDEX);
  if (cached) return cached;
  // Nothing cached: the network's answer (an error page) or its error is all there is.
  return res ?? (await network) ?? Response.error();
}

async function cacheFirst(request, key) {
  const cached = await fromCache(key);
  if (cached) return cached;
  const res = await fetch(request);
  if (res.ok && (HASHED.test(key) || PRECACHED.has(key))) {
    const copy = res.clone();
    caches
      .open(CACHE)
      .then((c) => c.put(key, copy))
      .catch(() => undefined);
  }
  return res;
}

async function networkThenCache(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const cached = await caches.match(request);
    if (cached) return cached;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (!url.href.startsWith(SCOPE)) return;
  const path = url.origin + url.pathname;
  const key = ALIASES.get(path) ?? path;
  if (request.mode === 'navigate') {
    if (key === SCOPE || key === INDEX) event.respondWith(networkFirst(request));
    return;
  }
  if (PRECACHED.has(key) || HASHED.test(url.pathname)) event.respondWith(cacheFirst(request, key));
  else event.respondWith(networkThenCache(request));
});
