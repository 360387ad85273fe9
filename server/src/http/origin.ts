import type { IncomingMessage } from 'node:http';

/**
 * Cross-site websocket hijacking and CSRF guard. A request is allowed when its Origin is one of the
 * configured public URLs, or the same origin as the Host it was sent to (which also covers the
 * dev proxy and tests on a random port). Requests without Origin come from non-browser clients,
 * which cannot carry a victim's cookies, so for them the seat secret alone decides.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
