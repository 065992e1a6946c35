// Commit-to-delivery latencies and delivery rates from what the subscribers noted.
import type { GroupResult } from './processes.ts';

export interface DeliveryStats {
  subscribers: number;
  expected: number;
  received: number;
  duplicates: number;
  /** Errors, deliveries naming no commit, and subscriptions that ended before the run did. */
  faults: number;
  firstError?: string;
  p50: number;
  p99: number;
  max: number;
  /** Deliveries per second, from the first measured commit to the last delivery. */
  perSecond: number;
}

/**
 * The value at percentile `p` (0-100) of ascending `sorted`, by nearest rank: an observed value,
 * never an interpolated one. Every sample is kept (a few million at most), so it is exact.
 */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Statistics over the commits from `measuredFrom` on (the ones before warm the system up):
 * latency is the receive time minus the commit time, both on the same machine clock.
 */
export function deliveryStats(
  groups: GroupResult[],
  committedAt: Float64Array,
  measuredFrom: number,
): DeliveryStats {
  const commits = committedAt.length;
  const subscribers = groups.reduce((sum, group) => sum + group.count, 0);
  const latencies = new Float64Array(subscribers * (commits - measuredFrom));
  let received = 0;
  let lastDelivery = Number.NEGATIVE_INFINITY;
  for (const group of groups) {
    for (let subscriber = 0; subscriber < group.count; subscriber++) {
      for (let index = measuredFrom; index < commits; index++) {
        const at = group.receivedAt[subscriber * commits + index]!;
        if (Number.isNaN(at)) continue;
        latencies[received++] = at - committedAt[index]!;
        if (at > lastDelivery) lastDelivery = at;
      }
    }
  }
  const sorted = latencies.subarray(0, received).sort();
  const firstError = groups.find((group) => group.firstError)?.firstError;
  return {
    subscribers,
    expected: subscribers * (commits - measuredFrom),
    received,
    duplicates: groups.reduce((sum, group) => sum + group.duplicates, 0),
    faults: groups.reduce((sum, group) => sum + group.errors + group.unexpected + group.ended, 0),
    ...(firstError ? { firstError } : {}),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    perSecond: received ? received / ((lastDelivery - committedAt[measuredFrom]!) / 1000) : 0,
  };
}
