// What a mass drop and resubscribe did to each subscriber: changes lost or repeated across it,
// and how long until it was receiving again.
import type { GroupResult } from './processes.ts';
import { percentile } from './stats.ts';

/** Durations over subscribers, in ms; `never` counts the subscribers it never ended for. */
export interface Spread {
  p50: number;
  p99: number;
  max: number;
  never: number;
}

export interface ReconnectStats {
  subscribers: number;
  /** Over every commit of the run, warm-up included: each subscriber should get each once. */
  lost: number;
  duplicates: number;
  subscribersLosing: number;
  subscribersWithDuplicates: number;
  /** The most one subscriber lost, and repeated. */
  mostLost: number;
  mostDuplicated: number;
  /**
   * Deliveries after the drop of changes committed before the subscriber had reconnected: what
   * Shelfwire replays from the log (and the baseline happened to send late).
   */
  gapDeliveries: number;
  /** From the drop until a subscriber received a change again, replayed or live. */
  firstChange: Spread;
  /** From the drop until a subscriber received a change committed after it had reconnected. */
  firstLiveChange: Spread;
}

function spread(durations: number[]): Spread {
  const known = Float64Array.from(durations.filter((duration) => !Number.isNaN(duration))).sort();
  return {
    p50: percentile(known, 50),
    p99: percentile(known, 99),
    max: known.length ? known[known.length - 1]! : Number.NaN,
    never: durations.length - known.length,
  };
}

/** Subscriber by subscriber, from what they noted and when each commit completed. */
export function reconnectStats(groups: GroupResult[], committedAt: Float64Array): ReconnectStats {
  const commits = committedAt.length;
  const firstChange: number[] = [];
  const firstLiveChange: number[] = [];
  const lostBySubscriber: number[] = [];
  let gapDeliveries = 0;
  for (const group of groups) {
    const droppedAt = group.droppedAt;
    for (let subscriber = 0; subscriber < group.count; subscriber++) {
      // The latest connection opened after the drop, or the subscriber never reconnected.
      const reconnectedAt = group.connectedAt[subscriber]!;
      const reconnected = reconnectedAt >= droppedAt;
      let lost = 0;
      let first = Number.POSITIVE_INFINITY;
      let firstLive = Number.POSITIVE_INFINITY;
      for (let index = 0; index < commits; index++) {
        const at = group.receivedAt[subscriber * commits + index]!;
        if (Number.isNaN(at)) {
          lost += 1;
          continue;
        }
        if (!(at >= droppedAt)) continue;
        first = Math.min(first, at);
        if (reconnected && committedAt[index]! > reconnectedAt) firstLive = Math.min(firstLive, at);
        else gapDeliveries += 1;
      }
      lostBySubscriber.push(lost);
      const since = (at: number) => (Number.isFinite(at) ? at - droppedAt : Number.NaN);
      firstChange.push(since(first));
      firstLiveChange.push(since(firstLive));
    }
  }
  const duplicates = groups.flatMap((group) => [...group.duplicatesBySubscriber]);
  return {
    subscribers: lostBySubscriber.length,
    lost: lostBySubscriber.reduce((sum, lost) => sum + lost, 0),
    duplicates: duplicates.reduce((sum, repeated) => sum + repeated, 0),
    subscribersLosing: lostBySubscriber.filter((lost) => lost > 0).length,
    subscribersWithDuplicates: duplicates.filter((repeated) => repeated > 0).length,
    mostLost: lostBySubscriber.reduce((most, lost) => Math.max(most, lost), 0),
    mostDuplicated: duplicates.reduce((most, repeated) => Math.max(most, repeated), 0),
    gapDeliveries,
    firstChange: spread(firstChange),
    firstLiveChange: spread(firstLiveChange),
  };
}
