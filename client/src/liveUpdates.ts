import type { Client, CombinedError } from '@urql/core';
import { pipe, subscribe } from 'wonka';
import { graphql } from './gql/index.ts';

export const BookChanges = graphql(`
  subscription BookChanges($after: String) {
    bookChanged(after: $after) {
      cursor
      kind
      changedFields
      version
      at
      bookId
      book {
        ...BookFields
      }
    }
  }
`);

export const BookingChanges = graphql(`
  subscription BookingChanges($after: String) {
    bookingChanged(after: $after) {
      cursor
      kind
      events
      changedFields
      version
      at
      bookingId
      booking {
        ...BookingFields
      }
    }
  }
`);

export interface LiveUpdates {
  stop(): void;
}

/** The variables `followChanges` follows the viewer's bookings with: `useSubscription` shares it. */
export const bookingChangesFrom = (after: string | undefined) => (after ? { after } : {});

/**
 * Keeps the client's cache live: follows every book change, and the viewer's booking changes
 * when `bookings` is set (they need a signed-in client), from `bookingsAfter` when given (a
 * cursor kept from an earlier visit: what happened since is replayed). Errors go to `onError`.
 */
export function followChanges(
  client: Client,
  options: {
    bookings: boolean;
    bookingsAfter?: string;
    onError?: (error: CombinedError) => void;
  },
): LiveUpdates {
  const report = (result: { error?: CombinedError }) => {
    if (result.error) options.onError?.(result.error);
  };
  const followed = [pipe(client.subscription(BookChanges, {}), subscribe(report))];
  if (options.bookings) {
    const variables = bookingChangesFrom(options.bookingsAfter);
    followed.push(pipe(client.subscription(BookingChanges, variables), subscribe(report)));
  }
  return { stop: () => followed.forEach((subscription) => subscription.unsubscribe()) };
}
