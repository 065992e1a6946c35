import type { IncomingMessage } from 'node:http';
import { describe, expect, test } from 'vitest';
import { clientAddressOf } from './clientAddress.ts';

const from = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('the address an anonymous client counts against', () => {
  test('is the socket’s peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddressOf(from('203.0.113.7', '198.51.100.1'), 0)).toBe('203.0.113.7');
  });

  test('behind one trusted proxy, is the address that proxy saw, not what the client forged', () => {
    expect(clientAddressOf(from('10.0.0.2', '1.2.3.4, 198.51.100.9'), 1)).toBe('198.51.100.9');
    expect(clientAddressOf(from('10.0.0.2'), 1)).toBe('10.0.0.2');
  });

  test('counts IPv6 clients by their /64 network and IPv4-mapped ones as IPv4', () => {
    expect(clientAddressOf(from('2001:db8:1:2:aaaa::1'), 0)).toBe('2001:0db8:0001:0002::/64');
    expect(clientAddressOf(from('2001:db8:1:2:ffff:1:2:3'), 0)).toBe('2001:0db8:0001:0002::/64');
    expect(clientAddressOf(from('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
  });
});
