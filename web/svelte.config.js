import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * [EDGE8] Hashes of the inline scripts in app.html (the theme is applied before first paint), so
 * script-src needs no 'unsafe-inline'. Computed from the file itself: editing the script can never
 * leave a stale hash behind.
 */
const appHtml = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
const appHtmlScriptHashes = [...appHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
  ([, body]) => /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(body).digest('base64')}`)
);

/**
 * SvelteKit's route announcer (a visually hidden live region it adds to every page) is the one
 * style attribute the app renders; Svelte's `style:` directives go through the CSSOM, which CSP
 * does not govern. Rather than allow any inline style, style-src-attr allows exactly this one by
 * its hash ('unsafe-hashes' is what lets a hash cover an attribute). Read from kit's own source so
 * an upgrade that changes it cannot leave a stale hash (the build fails instead).
 */
const kitSrc = new URL('..', import.meta.resolve('@sveltejs/kit')); // …/kit/src/exports/index.js → …/kit/src/
const kitRoot = readFileSync(fileURLToPath(new URL('core/sync/write_root.js', kitSrc)), 'utf8');
const announcerStyle = /id="svelte-announcer"[^>]*?style="([^"]*)"/.exec(kitRoot)?.[1];
if (!announcerStyle) throw new Error("svelte.config.js: SvelteKit's route announcer style was not found; update the CSP hash logic.");
const announcerStyleHash = /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(announcerStyle).digest('base64')}`);

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // Our server owns PORT/HOST/ORIGIN; the adapter reads only its own prefixed variables.
    adapter: adapter({ out: 'build', precompress: true, envPrefix: 'PAIRBOARD_KIT_' }),
    // [EDGE8] The page's Content-Security-Policy. 'hash' (not 'nonce') keeps pages identical per
    // request, so they stay cacheable and could be prerendered; kit adds the hash of its own
    // bootstrap script to script-src. 'self' in connect-src covers the same-origin ws:/wss:
    // endpoints (Socket.IO and Yjs) in every current browser (CSP Level 3).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self', ...appHtmlScriptHashes],
        'style-src': ['self'],
        'style-src-attr': ['unsafe-hashes', announcerStyleHash],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'manifest-src': ['self'],
        // [OFF3] The service worker (same origin only).
        'worker-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['none'],
        'form-action': ['self'],
        'frame-ancestors': ['none']
      }
    }
  }
};
