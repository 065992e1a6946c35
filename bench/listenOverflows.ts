// The kernel's count of connections dropped because a listening socket's accept queue was full.
import { readFileSync } from 'node:fs';

/**
 * TcpExt ListenOverflows from /proc/net/netstat: for every listening socket on the machine, since
 * boot. Undefined where there is no such file (not Linux).
 */
export function listenOverflows(): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/net/netstat', 'utf8');
  } catch {
    return undefined;
  }
  // Two lines per group: the names, then the values.
  const [names, values] = text
    .split('\n')
    .filter((line) => line.startsWith('TcpExt:'))
    .map((line) => line.split(/\s+/));
  const at = names?.indexOf('ListenOverflows') ?? -1;
  const value = at > 0 ? Number(values?.[at]) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}
