import { type Cache, cacheExchange } from '@urql/exchange-graphcache';
import { placeInLists, removeFromLists } from './connectionLists.ts';
import type {
  Book,
  Booking,
  GraphCacheKeysConfig,
  GraphCacheUpdaters,
  WithTypename,
} from './gql/graphcache.ts';
import { schema } from './gql/schema.ts';

// The updaters' types come from the schema (codegen's typescript-urql-graphcache): a result
// field they read that the schema does not have, or an updater for a field it lacks, fails to
// compile. Any operation may select less than the whole type, so every field is optional.
type Selected<T extends { __typename?: unknown }> = Partial<WithTypename<T>> | null | undefined;

const embedded = () => null;

/** Books and bookings are entities; every other type lives inside the object that holds it. */
export const keys: GraphCacheKeysConfig = {
  Book: (book) => book.id ?? null,
  Booking: (booking) => booking.id ?? null,
  BookChange: embedded,
  BookingChange: embedded,
  BookChangeBatch: embedded,
  BookingChangeBatch: embedded,
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

function showBook(cache: Cache, book: Selected<Book>): void {
  const key = book?.id && cache.keyOfEntity({ __typename: 'Book', id: book.id });
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

function showBooking(cache: Cache, booking: Selected<Booking>): void {
  const key = booking?.id && cache.keyOfEntity({ __typename: 'Booking', id: booking.id });
  if (key) placeInLists(cache, 'bookings', key, bookingFilter(cache, key));
}

function forgetBooking(cache: Cache, id: string): void {
  const key = cache.keyOfEntity({ __typename: 'Booking', id });
  if (!key) return;
  removeFromLists(cache, 'bookings', key);
  cache.link('Query', 'booking', { id }, null);
  cache.link('Query', 'node', { id }, null);
}

/**
 * Whether a change is older than the entity the cache holds (its `version`): what it says about
 * list membership is out of date, and a newer change or answer has said it already.
 */
function isStale(
  cache: Cache,
  entity: { __typename: 'Book' | 'Booking'; id?: string | null },
  version: number | null | undefined,
): boolean {
  const key = entity.id ? cache.keyOfEntity(entity) : null;
  const held = key ? cache.resolve(key, 'version') : null;
  return typeof held === 'number' && typeof version === 'number' && version < held;
}

/**
 * Entities change in place by key on their own; these updaters keep list membership right.
 * A change and the mutation that caused it may both arrive: every step is idempotent, and a
 * change older than what the cache holds is left out.
 */
export const updates = {
  Subscription: {
    bookChanged({ bookChanged: change }, _args, cache) {
      if (isStale(cache, { __typename: 'Book', id: change.bookId }, change.version)) return;
      if (change.kind === 'DELETED' && change.bookId) forgetBook(cache, change.bookId);
      else showBook(cache, change.book);
    },
    bookingChanged({ bookingChanged: change }, _args, cache) {
      if (isStale(cache, { __typename: 'Booking', id: change.bookingId }, change.version)) return;
      if (change.kind === 'DELETED' && change.bookingId) forgetBooking(cache, change.bookingId);
      else showBooking(cache, change.booking);
    },
  },
  Mutation: {
    createBook: ({ createBook }, _args, cache) => showBook(cache, createBook),
    updateBook: ({ updateBook }, _args, cache) => showBook(cache, updateBook),
    deleteBook({ deleteBook }, _args, cache) {
      if (deleteBook) forgetBook(cache, deleteBook);
    },
    createBooking: ({ createBooking }, _args, cache) => showBooking(cache, createBooking),
    updateBooking: ({ updateBooking }, _args, cache) => showBooking(cache, updateBooking),
    confirmBooking: ({ confirmBooking }, _args, cache) => showBooking(cache, confirmBooking),
    cancelBooking: ({ cancelBooking }, _args, cache) => showBooking(cache, cancelBooking),
    payBooking: ({ payBooking }, _args, cache) => showBooking(cache, payBooking),
  },
} satisfies GraphCacheUpdaters;

/** A schema-aware Graphcache that the change subscriptions keep current. */
export const liveCacheExchange = () => cacheExchange({ schema, keys, updates });
