import type { IncomingMessage } from 'node:http';
import net from 'node:net';

/** Express's compiled `trust proxy` setting: is the hop at `address`, `i` steps from us, trusted? */
export type TrustProxy = (address: string, i: number) => boolean;

/**
 * [EDGE1] Who sent this request. Walks from the socket address back through X-Forwarded-For for
 * as long as each hop is trusted, exactly as Express's `req.ip` does (proxy-addr), so REST,
 * Socket.IO and the Yjs endpoint all see the same client. With `trust proxy` off, the header is
 * ignored and the socket address is the client.
 */
export function createClientAddress(trust: TrustProxy): (req: IncomingMessage) => string {
  return (req) => {
    const chain = [req.socket.remoteAddress ?? ''];
    const header = req.headers['x-forwarded-for'];
    if (typeof header === 'string' && header !== '') {
      const forwarded = header.split(',').map((hop) => hop.trim());
      for (let i = forwarded.length - 1; i >= 0; i--) chain.push(forwarded[i]!);
    }
    for (let i = 0; i < chain.length - 1; i++) if (!trust(chain[i]!, i)) return chain[i]!;
    return chain[chain.length - 1]!;
  };
}

/**
 * The key limits count by. IPv4-mapped IPv6 counts as the IPv4 address; plain IPv6 counts per /64,
 * since one subscriber usually holds a whole /64 and could otherwise rotate addresses freely.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
  return address;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...fill, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
