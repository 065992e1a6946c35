import type { Client, CombinedError } from '@urql/core';
import { pipe, subscribe } from 'wonka';
import { graphql } from './gql/index.ts';

export const BookChanges = graphql(`
  subscription BookChanges($after: String) {
    bookChanged(after: $after) {
      cursor
      kind
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

/**
 * Keeps the client's cache live: follows every book change, and the viewer's booking changes
 * when `bookings` is set (they need a signed-in client). Errors go to `onError`.
 */
export function followChanges(
  client: Client,
  options: { bookings: boolean; onError?: (error: CombinedError) => void },
): LiveUpdates {
  const report = (result: { error?: CombinedError }) => {
    if (result.error) options.onError?.(result.error);
  };
  const followed = [pipe(client.subscription(BookChanges, {}), subscribe(report))];
  if (options.bookings) {
    followed.push(pipe(client.subscription(BookingChanges, {}), subscribe(report)));
  }
  return { stop: () => followed.forEach((subscription) => subscription.unsubscribe()) };
}
