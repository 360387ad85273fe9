import type { Duplex } from 'node:stream';

/**
 * How many connections each client address holds open, against a cap. Places are taken when a
 * connection opens and given back exactly once when it closes, so the count never drifts.
 */
export class AddressCounter {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  hasRoom(key: string): boolean {
    return this.count(key) < this.max;
  }

  /** Takes a place for `key`; returns its release (safe to call twice), or null when full. */
  take(key: string): (() => void) | null {
    const held = this.count(key);
    if (held >= this.max) return null;
    this.open.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(key) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }

  /** Addresses holding at least one place (for tests and metrics). */
  get addresses(): number {
    return this.open.size;
  }
}

/** [EDGE4] Refuses a websocket upgrade from an address over its cap, before any handshake. */
export function refuseUpgradeTooMany(socket: Duplex): void {
  const body = JSON.stringify({ ok: false, code: 'RateLimited', message: 'Too many connections from your network.' });
  socket.end(
    'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 5\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy()
  );
}
