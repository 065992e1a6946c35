import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

/**
 * The address an anonymous client's limits count against. Behind `trustedProxies` reverse
 * proxies (TRUST_PROXY_HOPS) it is the entry that many hops from the right of X-Forwarded-For,
 * the one the outermost trusted proxy saw; entries further left are the client's to forge.
 * IPv6 addresses count by their /64 network, which one host usually holds whole.
 */
export function clientAddressOf(
  request: IncomingMessage | undefined,
  trustedProxies: number,
): string {
  let address = request?.socket.remoteAddress ?? 'unknown';
  const forwarded = request?.headers['x-forwarded-for'];
  if (trustedProxies > 0 && typeof forwarded === 'string') {
    const hops = forwarded.split(',').map((hop) => hop.trim());
    address = hops[Math.max(0, hops.length - trustedProxies)] ?? address;
  }
  return networkOf(address);
}

function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const groups = expandIPv6(address);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) =>
    group.toLowerCase().padStart(4, '0'),
  );
}
