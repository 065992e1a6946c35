import {
  type Cache,
  type CacheExchangeOpts,
  type DataFields,
  cacheExchange,
} from '@urql/exchange-graphcache';
import { placeInLists, removeFromLists } from './connectionLists.ts';
import type { BookingStatus, ChangeKind } from './gql/graphql.ts';
import { schema } from './gql/schema.ts';

// What the updaters read of a result; any operation may select less, so every field is optional.
interface BookData {
  id: string;
  title?: string;
  author?: string;
}
interface BookingData {
  id: string;
  status?: BookingStatus;
}
interface BookChangeData {
  kind?: ChangeKind;
  bookId?: string;
  book?: BookData | null;
}
interface BookingChangeData {
  kind?: ChangeKind;
  bookingId?: string;
  booking?: BookingData | null;
}

const embedded = () => null;

/** Books and bookings are entities; every other type lives inside the object that holds it. */
export const keys: NonNullable<CacheExchangeOpts['keys']> = {
  Book: (book) => book.id as string,
  Booking: (booking) => booking.id as string,
  BookChange: embedded,
  BookingChange: embedded,
  QueryBooksConnection: embedded,
  QueryBooksConnectionEdge: embedded,
  QueryBookingsConnection: embedded,
  QueryBookingsConnectionEdge: embedded,
  PageInfo: embedded,
  Viewer: embedded,
};

/** `books(search:)` matches title or author, case-insensitively (ILIKE on the server). */
function bookFilter(cache: Cache, key: string) {
  const text = ['title', 'author'].map((field) =>
    String(cache.resolve(key, field) ?? '').toLowerCase(),
  );
  return (args: { search?: unknown }) =>
    typeof args.search !== 'string' ||
    text.some((value) => value.includes(String(args.search).toLowerCase()));
}

const bookingFilter = (cache: Cache, key: string) => (args: { status?: unknown }) =>
  args.status == null || args.status === cache.resolve(key, 'status');

function showBook(cache: Cache, book: BookData | null | undefined): void {
  const key = book && cache.keyOfEntity({ __typename: 'Book', id: book.id });
  if (key) placeInLists(cache, 'books', key, bookFilter(cache, key));
}

/** A deleted book leaves every list and `book(id)`; whatever else still links it keeps its data. */
function forgetBook(cache: Cache, id: string): void {
  const key = cache.keyOfEntity({ __typename: 'Book', id });
  if (!key) return;
  removeFromLists(cache, 'books', key);
  cache.link('Query', 'book', { id }, null);
  cache.link('Query', 'node', { id }, null);
}

function showBooking(cache: Cache, booking: BookingData | null | undefined): void {
  const key = booking && cache.keyOfEntity({ __typename: 'Booking', id: booking.id });
  if (key) placeInLists(cache, 'bookings', key, bookingFilter(cache, key));
}

function forgetBooking(cache: Cache, id: string): void {
  const key = cache.keyOfEntity({ __typename: 'Booking', id });
  if (!key) return;
  removeFromLists(cache, 'bookings', key);
  cache.link('Query', 'booking', { id }, null);
  cache.link('Query', 'node', { id }, null);
}

const field = <T>(result: DataFields, name: string) => result[name] as T | null | undefined;

/** The updater of a mutation that returns the booking it changed. */
const showBookingOf = (name: string) => (result: DataFields, _args: unknown, cache: Cache) =>
  showBooking(cache, field<BookingData>(result, name));

/**
 * Entities change in place by key on their own; these updaters keep list membership right.
 * A change and the mutation that caused it may both arrive: every step is idempotent.
 */
export const updates: NonNullable<CacheExchangeOpts['updates']> = {
  Subscription: {
    bookChanged(result, _args, cache) {
      const change = field<BookChangeData>(result, 'bookChanged');
      if (change?.kind === 'DELETED' && change.bookId) forgetBook(cache, change.bookId);
      else showBook(cache, change?.book);
    },
    bookingChanged(result, _args, cache) {
      const change = field<BookingChangeData>(result, 'bookingChanged');
      if (change?.kind === 'DELETED' && change.bookingId) forgetBooking(cache, change.bookingId);
      else showBooking(cache, change?.booking);
    },
  },
  Mutation: {
    createBook: (result, _args, cache) => showBook(cache, field<BookData>(result, 'createBook')),
    updateBook: (result, _args, cache) => showBook(cache, field<BookData>(result, 'updateBook')),
    deleteBook(result, _args, cache) {
      const id = field<string>(result, 'deleteBook');
      if (id) forgetBook(cache, id);
    },
    createBooking: showBookingOf('createBooking'),
    updateBooking: showBookingOf('updateBooking'),
    confirmBooking: showBookingOf('confirmBooking'),
    cancelBooking: showBookingOf('cancelBooking'),
    payBooking: showBookingOf('payBooking'),
  },
};

/** A schema-aware Graphcache that the change subscriptions keep current. */
export const liveCacheExchange = () => cacheExchange({ schema, keys, updates });
