import type { ChangeEvent } from './changeEvent.ts';
import type { ChangeRecord } from './changeLog.ts';
import type { ChangeFilter } from './changeFilter.ts';
import type { ChangeStream } from './changeStream.ts';
import { deliverySlice } from './deliverySlice.ts';
import { type Position, comparePositions } from './position.ts';

/** One subscription of the change feed, as the fan-out and the replay see it. */
export interface Subscriber {
  filter: ChangeFilter;
  /** The filter as a test of a change read from the log (changeFilter.ts: compileFilter). */
  wants: (change: ChangeRecord) => boolean;
  /** The last change this subscriber has been given (or skipped as not its own). */
  position: Position;
  /** Catching up from the log, or receiving live changes. */
  mode: 'replaying' | 'live';
  stream: ChangeStream;
}

/** A change read from the log, and the event its subscribers get (null when nobody wants it). */
export interface Published {
  change: ChangeRecord;
  event: ChangeEvent | null;
}

/**
 * Makes the results of a batch for the subscribers that write directly, once per distinct
 * subscription, before the fan-out: a result still being made would send that subscriber's
 * change the slow way. A result that fails to be made is sent the slow way, with its error.
 */
export async function prepareResults(
  batch: Published[],
  watchers: Iterable<Subscriber>,
): Promise<void> {
  const making = new Set<Promise<unknown>>();
  for (const subscriber of watchers) {
    const direct = subscriber.stream.direct;
    if (!direct || subscriber.mode !== 'live') continue;
    for (const { change, event } of batch) {
      if (!event || !subscriber.wants(change)) continue;
      const result = direct.prepare(event);
      if (result) making.add(result);
    }
  }
  if (making.size) await Promise.allSettled(making);
}

/**
 * Hands a batch of one entity's changes, in log order, to every live subscriber not already
 * past them, subscriber by subscriber: a client's share of the batch is written together, in one
 * system call where its transport can (a busy feed reads several changes at once, so the cost
 * per delivery falls as the load rises). Yields to I/O between slices of deliveries.
 *
 * Whoever starts or goes live during a turn between slices is at or past the batch's end and
 * skips it; a Set's iteration allows the set to change meanwhile. `delivered` is told how many
 * subscribers each event reached, once per slice.
 */
export async function fanOut(
  batch: Published[],
  watchers: Set<Subscriber>,
  delivered: (event: ChangeEvent, count: number) => void,
): Promise<void> {
  const counts = new Array<number>(batch.length).fill(0);
  const report = () => {
    counts.forEach((count, index) => {
      if (count > 0) delivered(batch[index]!.event!, count);
    });
    counts.fill(0);
  };
  for (const subscriber of watchers) {
    if (subscriber.mode !== 'live') continue;
    let sliceSpent = false;
    const direct = subscriber.stream.direct;
    direct?.cork?.();
    try {
      batch.forEach(({ change, event }, index) => {
        if (comparePositions(change.position, subscriber.position) <= 0) return;
        subscriber.position = change.position;
        if (!event || !subscriber.wants(change)) return;
        if (subscriber.stream.push(event)) counts[index] = counts[index]! + 1;
        sliceSpent = deliverySlice.spent() || sliceSpent;
      });
    } finally {
      // A socket left corked would silently stop sending.
      direct?.uncork?.();
    }
    if (sliceSpent) {
      report();
      await deliverySlice.nextTurn();
    }
  }
  report();
}
