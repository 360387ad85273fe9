import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * [EDGE8] Security headers on every response, and Referrer-Policy no-referrer everywhere, so a board
 * link (the board's only key besides the seat cookie) never leaks to another site.
 *
 * No Content-Security-Policy here: pages carry SvelteKit's own policy (web/svelte.config.js,
 * `kit.csp`, script-src by hash, never 'unsafe-inline'). A second policy set here would not just be
 * overridden: when the browser revalidates a cached page, kit answers 304 without a CSP, and the
 * browser would merge this one into the cached page's headers and block the whole app.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS only means something over HTTPS; on plain http it would only confuse a later https setup.
    strictTransportSecurity: options.https ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: false } : false
  });
}

/** [EDGE8] For what the server answers itself (the API's JSON): nothing may run, load or frame it. */
export const apiContentSecurityPolicy: RequestHandler = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    'default-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"]
  }
});
