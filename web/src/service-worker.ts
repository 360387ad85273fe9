/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

/**
 * [OFF3] The app shell works without a network after the first visit. The built app and static
 * files are cached at install; pages are network-first, and a board page seen online is kept so
 * /b/<id> opens offline (the board then shows its local copy from IndexedDB). The API, Socket.IO
 * and Yjs are never cached: they are live data (and websockets never pass through here).
 */
const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `pairboard-${version}`;
const APP_SHELL = [...build, ...files];
/** Every board page is the same client-rendered shell; the last one seen answers for any board. */
const BOARD_SHELL_KEY = '/__pairboard/board-shell';
const NEVER_CACHED = /^\/(api|socket\.io|yjs|healthz|readyz|metrics)(\/|$)/;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(APP_SHELL))
      .then(() => worker.skipWaiting())
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await worker.clients.claim();
    })()
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== location.origin || NEVER_CACHED.test(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(navigate(request, url));
  else if (APP_SHELL.includes(url.pathname)) event.respondWith(fromCacheFirst(request));
});

/** Network first; offline, the page as last seen (or, for a board, the board shell). */
async function navigate(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(CACHE);
  const isBoard = url.pathname.startsWith('/b/');
  try {
    const response = await fetch(request);
    if (response.status === 200) {
      await cache.put(url.pathname, response.clone());
      if (isBoard) await cache.put(BOARD_SHELL_KEY, response.clone());
    } else if (response.status === 410 || response.status === 404) {
      await cache.delete(url.pathname); // a deleted board must not open from the cache [OFF6]
    }
    return response;
  } catch (error) {
    const cached = (await cache.match(url.pathname)) ?? (isBoard ? await cache.match(BOARD_SHELL_KEY) : undefined);
    if (cached) return cached;
    throw error;
  }
}

async function fromCacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request);
  return cached ?? fetch(request);
}
