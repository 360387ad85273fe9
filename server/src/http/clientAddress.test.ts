import type { IncomingMessage } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { addressKey, createClientAddress } from './clientAddress.ts';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

function resolverFor(trustProxy: string) {
  const app = express();
  app.set('trust proxy', parseConfig({ TRUST_PROXY: trustProxy }).trustProxy);
  return createClientAddress(app.get('trust proxy fn'));
}

describe('clientAddress', () => {
  it('[EDGE1] ignores X-Forwarded-For unless TRUST_PROXY is set', () => {
    expect(resolverFor('')(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    expect(resolverFor('false')(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
  });

  it('[EDGE1] takes the first untrusted hop, so a client cannot prepend its own address', () => {
    const behindLoopback = resolverFor('loopback');
    expect(behindLoopback(request('127.0.0.1', '198.51.100.1'))).toBe('198.51.100.1');
    expect(behindLoopback(request('127.0.0.1', '6.6.6.6, 198.51.100.1'))).toBe('198.51.100.1');
    expect(behindLoopback(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    expect(behindLoopback(request('127.0.0.1'))).toBe('127.0.0.1');
    expect(resolverFor('1')(request('10.0.0.2', '6.6.6.6, 198.51.100.1'))).toBe('198.51.100.1');
    expect(resolverFor('10.0.0.0/8, loopback')(request('10.0.0.2', '127.0.0.1, 198.51.100.7'))).toBe('198.51.100.7');
  });

  it('[EDGE1] refuses a TRUST_PROXY it cannot read, at start', () => {
    expect(() => parseConfig({ TRUST_PROXY: 'my-proxy' })).toThrow(/TRUST_PROXY/);
    expect(() => parseConfig({ TRUST_PROXY: '10.0.0.0/8/2' })).toThrow(/TRUST_PROXY/);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('[EDGE1] counts IPv4-mapped addresses as IPv4 and IPv6 per /64', () => {
    expect(addressKey('::ffff:198.51.100.1')).toBe('198.51.100.1');
    expect(addressKey('198.51.100.1')).toBe('198.51.100.1');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
