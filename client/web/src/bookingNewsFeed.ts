// The viewer's booking changes as the page tells them, collected from the client's first moment:
// a component that mounts later (once the viewer is known) would miss what a resumed stream
// replays first. Each change's cursor is kept as it arrives, for the next visit.
import type { Client } from '@urql/core';
import { pipe, subscribe } from 'wonka';
import { BookingChanges, bookingChangesFrom } from '../../src/index.ts';
import type { BookingChange } from './bookingNews.ts';
import { keepBookingCursor } from './lastVisit.ts';

export interface BookingNewsFeed {
  /** Every change received, oldest first (at most the last `kept`), and how many came in all. */
  snapshot(): { count: number; changes: readonly BookingChange[] };
  /** Calls `listener` on every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  stop(): void;
}

/** Enough for what a long absence replays; the page shows the last five live ones only. */
const kept = 1000;

/** Shares the booking stream `followChanges` opened with the same `after` (one subscription). */
export function followBookingNews(
  client: Client,
  options: { after: string | undefined; userId: string },
): BookingNewsFeed {
  let state = { count: 0, changes: [] as readonly BookingChange[] };
  const listeners = new Set<() => void>();
  const followed = pipe(
    client.subscription(BookingChanges, bookingChangesFrom(options.after)),
    subscribe(({ data }) => {
      if (!data) return;
      keepBookingCursor(options.userId, data.bookingChanged.cursor);
      state = {
        count: state.count + 1,
        changes: [...state.changes, data.bookingChanged].slice(-kept),
      };
      listeners.forEach((listener) => listener());
    }),
  );
  return {
    snapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => followed.unsubscribe(),
  };
}
