// A booking change in words, for the person it concerns: "Your booking of Dune, 3 – 17 December
// 2026, was confirmed". Decided from the change's events (what happened), not from its state.
import type { BookingChangesSubscription } from '../../src/gql/graphql.ts';
import { describeRange } from './bookingDates.ts';

export type BookingChange = BookingChangesSubscription['bookingChanged'];

const pastTense: Record<string, string> = {
  REQUESTED: 'requested',
  CONFIRMED: 'confirmed',
  CANCELLED: 'cancelled',
  RESCHEDULED: 'moved',
  PAID: 'paid',
  REFUNDED: 'refunded',
  DELETED: 'removed',
};

const joined = (words: string[]) =>
  words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/**
 * The news in a change for `viewer`, or null when there is none to tell: a user hears what
 * happened to their own bookings (not that they asked for one themselves), an admin also hears
 * of every new request.
 */
export function bookingNews(
  change: BookingChange,
  viewer: { userId: string; role: string },
): string | null {
  const booking = change.booking;
  if (!booking) return change.events.includes('DELETED') ? 'A booking was removed.' : null;
  const what = `${booking.book.title}, ${describeRange(booking.startsAt, booking.endsAt)}`;
  if (booking.userId !== viewer.userId) {
    return viewer.role === 'admin' && change.events.includes('REQUESTED')
      ? `New booking request: ${booking.userId} asked for ${what}.`
      : null;
  }
  const told = change.events.filter((event) => event !== 'REQUESTED');
  if (told.length === 0) return null;
  return `Your booking of ${what}, was ${joined(told.map((event) => pastTense[event]!))}.`;
}
