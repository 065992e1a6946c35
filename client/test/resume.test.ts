import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ShelfwireServer } from '../../server/app.ts';
import { pruneChangeLog } from '../../server/realtime/changeLog.ts';
import { pipe, subscribe as follow } from 'wonka';
import {
  type TestDatabase,
  createTestDatabase,
  gqlOk,
  opened,
  startTestServer,
  subscribe,
  tokenFor,
  until,
} from '../../test/support.ts';
import {
  BookingChanges,
  type ShelfwireClient,
  type ShelfwireClientOptions,
  bookingChangesFrom,
  createShelfwireClient,
  followChanges,
} from '../src/index.ts';
import type { TransportName } from '../src/transports/transport.ts';
import { CachedBook, CachedBookings, CachedBooks } from './operations.ts';
import { type CuttableNetwork, countingFetch, cuttableNetwork, watchQuery } from './support.ts';
import { whenOpened } from '../../test/feedWaiters.ts';

const transports: TransportName[] = ['ws', 'sse'];

let database: TestDatabase;
let server: ShelfwireServer;
let network: CuttableNetwork;
let admin: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  network = await cuttableNetwork(server.url);
  admin = await tokenFor('librarian', 'admin');
});
afterAll(async () => {
  await network?.close();
  await server?.close();
  await database?.drop();
});
afterEach(async () => {
  network.restore();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A request straight to the server, around the cuttable network: another person's doing. */
const act = <T>(query: string, variables: Record<string, unknown> = {}, token = admin) =>
  gqlOk<T>(server, query, variables, token);

const createBook = async (title: string, copies = 1) =>
  (
    await act<{ createBook: { id: string } }>(
      'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
      { input: { title, author: 'Octavia E. Butler', copies } },
    )
  ).createBook.id;

async function createBooking(bookId: string, token: string): Promise<string> {
  const now = Date.now();
  const { createBooking } = await act<{ createBooking: { id: string } }>(
    'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
    {
      input: {
        bookId,
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 86_400_000).toISOString(),
      },
    },
    token,
  );
  return createBooking.id;
}

/**
 * A signed-in client behind the cuttable network, watching the books, one book and the
 * bookings, and following both change streams.
 */
async function followingClient(
  transport: TransportName,
  token: string,
  bookId: string,
  options: Partial<ShelfwireClientOptions> = {},
  bookingsAfter?: string,
) {
  const requests = countingFetch();
  const client = createShelfwireClient({
    url: network.url,
    token,
    transport,
    fetch: requests.fetch,
    ...options,
  });
  cleanups.push(() => client.dispose());
  const books = watchQuery(client.urql, CachedBooks, { first: 100 });
  const book = watchQuery(client.urql, CachedBook, { id: bookId });
  const bookings = watchQuery(client.urql, CachedBookings, { first: 100 });
  cleanups.push(books.stop, book.stop, bookings.stop);
  await Promise.all([books.until(() => true), book.until(() => true), bookings.until(() => true)]);
  const before = server.changes.subscriptionsOpened;
  const live = followChanges(client.urql, { bookings: true, bookingsAfter });
  cleanups.push(live.stop);
  // An expired cursor opens no subscription: it is refused, then followed from now.
  await whenOpened(server.changes, before + 2);
  await client.connection.until('connected');
  return { client, requests, books, book, bookings };
}

const bookingIs =
  (id: string, status: string, paymentStatus: string) =>
  (data: { bookings: { nodes: { id: string; status: string; paymentStatus: string }[] } }) =>
    data.bookings.nodes.some(
      (node) => node.id === id && node.status === status && node.paymentStatus === paymentStatus,
    );

describe.each(transports)('over %s', (transport) => {
  test('after a dropped connection the cache receives exactly the changes it missed', async () => {
    const reader = await tokenFor(`resuming-reader-${transport}`);
    const kept = await createBook(`Kindred (${transport})`);
    const doomed = await createBook(`Dawn (${transport})`);
    const { client, requests, books, book, bookings } = await followingClient(
      transport,
      reader,
      kept,
    );
    // A live booking first: both streams then hold a cursor to resume from.
    const booking = await createBooking(kept, reader);
    await bookings.until((data) => data.bookings.nodes.some((node) => node.id === booking));
    await book.until((data) => data.book?.available === 0);
    const fetched = requests.count();

    network.cut();
    await client.connection.until('reconnecting');
    const added = await createBook(`Parable of the Sower (${transport})`);
    await act(
      'mutation ($id: ID!) { updateBook(id: $id, input: { title: "Kindred, revised", copies: 3 }) { id } }',
      {
        id: kept,
      },
    );
    await act('mutation ($id: ID!) { deleteBook(id: $id) }', { id: doomed });
    await act('mutation ($id: ID!) { payBooking(id: $id) { id } }', { id: booking }, reader);
    await act('mutation ($id: ID!) { confirmBooking(id: $id) { id } }', { id: booking });
    // Nothing can have arrived while the network was down.
    expect(books.latest()?.data?.books.nodes.map((node) => node.id)).not.toContain(added);

    network.restore();
    await client.connection.until('connected');
    const caughtUp = await books.until((data) => {
      const ids = data.books.nodes.map((node) => node.id);
      return ids.includes(added) && !ids.includes(doomed);
    });
    expect(caughtUp.books.nodes.find((node) => node.id === kept)).toMatchObject({
      title: 'Kindred, revised',
      available: 2,
    });
    expect(caughtUp.books.nodes.filter((node) => node.id === added)).toHaveLength(1);
    await bookings.until(bookingIs(booking, 'CONFIRMED', 'PAID'));
    await book.until(
      (data) => data.book?.title === 'Kindred, revised' && data.book.available === 2,
    );
    expect(requests.count()).toBe(fetched);
  });

  test('a stream that had no change yet, so no cursor, catches up by refetching the queries in use', async () => {
    const reader = await tokenFor(`quiet-reader-${transport}`);
    const bookId = await createBook(`Wild Seed (${transport})`);
    const booking = await createBooking(bookId, reader);
    const { client, requests, bookings } = await followingClient(transport, reader, bookId);
    await bookings.until(bookingIs(booking, 'PENDING', 'UNPAID'));
    const fetched = requests.count();

    network.cut();
    await client.connection.until('reconnecting');
    await act('mutation ($id: ID!) { confirmBooking(id: $id) { id } }', { id: booking });
    network.restore();

    await bookings.until(bookingIs(booking, 'CONFIRMED', 'UNPAID'));
    expect(requests.count()).toBeGreaterThan(fetched);
  });

  test('a cursor the server no longer keeps makes the client refetch, then follow on live', async () => {
    const reader = await tokenFor(`long-gone-reader-${transport}`);
    const bookId = await createBook(`Mind of My Mind (${transport})`);
    const { client, requests, books, bookings } = await followingClient(transport, reader, bookId);
    const booking = await createBooking(bookId, reader);
    await bookings.until((data) => data.bookings.nodes.some((node) => node.id === booking));

    network.cut();
    await client.connection.until('reconnecting');
    await act('mutation ($id: ID!) { confirmBooking(id: $id) { id } }', { id: booking });
    const missed = await createBook(`Clay's Ark (${transport})`);
    // The log forgets everything the client could have resumed from.
    await database.sql.query("UPDATE change_log SET at = now() - interval '2 days'");
    expect(await pruneChangeLog(database.sql, '1 day')).toBeGreaterThan(0);
    const fetched = requests.count();
    const opened = server.changes.subscriptionsOpened;
    network.restore();

    await bookings.until(bookingIs(booking, 'CONFIRMED', 'UNPAID'));
    await books.until((data) => data.books.nodes.some((node) => node.id === missed));
    expect(requests.count()).toBeGreaterThan(fetched);
    // Both streams start over from now (an expired cursor opens nothing on the server).
    await whenOpened(server.changes, opened + 2);
    await client.connection.until('connected');
    const refetched = requests.count();
    const later = await createBook(`Patternmaster (${transport})`);
    await books.until((data) => data.books.nodes.some((node) => node.id === later));
    expect(requests.count()).toBe(refetched);
  });
});

test('over sse, a stream that stalls without closing counts as lost after the read timeout and resumes', async () => {
  const reader = await tokenFor('stalled-reader');
  const bookId = await createBook('Fledgling');
  // Above Yoga's keep-alive interval under test (300 ms; 12 s otherwise), far below a test's run.
  const { client, requests, books, bookings } = await followingClient('sse', reader, bookId, {
    sseReadTimeoutMs: 1_500,
  });
  const booking = await createBooking(bookId, reader);
  await bookings.until((data) => data.bookings.nodes.some((node) => node.id === booking));
  const fetched = requests.count();

  network.stall();
  const added = await createBook('Lilith’s Brood');
  await client.connection.until('reconnecting');
  await client.connection.until('connected');

  await books.until((data) => data.books.nodes.some((node) => node.id === added));
  expect(requests.count()).toBe(fetched);
});

describe.each(transports)('over %s', (transport) => {
  test('a token that expires stops the live updates and the connection says why', async () => {
    const reader = await tokenFor(`expiring-reader-${transport}`, 'user', '2s');
    const bookId = await createBook(`Survivor (${transport})`);
    const { client } = await followingClient(transport, reader, bookId);

    await client.connection.until('stopped');
    expect(client.connection.stoppedBecause).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

/** The booking changes a client follows, as urql delivers them to whoever shares the stream. */
function bookingChangesOf(client: ShelfwireClient, after: string) {
  const received: { events: string[]; cursor: string }[] = [];
  const subscription = pipe(
    client.urql.subscription(BookingChanges, bookingChangesFrom(after)),
    follow((result) => {
      if (result.data) received.push(result.data.bookingChanged);
    }),
  );
  cleanups.push(() => subscription.unsubscribe());
  return received;
}

/**
 * A reader's last visit: they booked `title`, saw it confirmed and left; `cursor` is the last
 * change they received, as the page keeps it.
 */
async function lastVisit(reader: string, title: string) {
  const bookId = await createBook(title);
  const booking = await createBooking(bookId, reader);
  const [seen] = await opened(server, () => [
    subscribe(server, 'ws', 'subscription { bookingChanged { cursor } }', {}, reader),
  ]);
  await act('mutation ($id: ID!) { confirmBooking(id: $id) { id } }', { id: booking });
  const { cursor } = (await seen!.next()).data!.bookingChanged as { cursor: string };
  await seen!.close();
  return { bookId, booking, cursor };
}

describe.each(transports)('over %s, a later visit', (transport) => {
  test('follows bookings from the cursor kept from the last one: what happened meanwhile first', async () => {
    const reader = await tokenFor(`returning-reader-${transport}`);
    const { booking, cursor } = await lastVisit(reader, `Parable of the Sower (${transport})`);
    // While the reader was away:
    await act('mutation ($id: ID!) { cancelBooking(id: $id) { id } }', { id: booking });

    const client = createShelfwireClient({ url: network.url, token: reader, transport });
    cleanups.push(() => client.dispose());
    const live = followChanges(client.urql, { bookings: true, bookingsAfter: cursor });
    cleanups.push(live.stop);
    const received = bookingChangesOf(client, cursor);
    await client.connection.until('connected');
    await until(() => received.length === 1, 'the missed change is replayed');
    expect(received[0]!.events).toEqual(['CANCELLED']);
  });

  test('whose kept cursor has expired goes on from now, refetching once, without asking again', async () => {
    const reader = await tokenFor(`long-away-reader-${transport}`);
    const { bookId, booking, cursor } = await lastVisit(
      reader,
      `Parable of the Talents (${transport})`,
    );
    await database.sql.query("UPDATE change_log SET at = now() - interval '2 days'");
    await pruneChangeLog(database.sql, '1 day');

    const { client, bookings } = await followingClient(transport, reader, bookId, {}, cursor);
    await bookings.until(bookingIs(booking, 'CONFIRMED', 'UNPAID'));
    await act('mutation ($id: ID!) { cancelBooking(id: $id) { id } }', { id: booking });
    await bookings.until(bookingIs(booking, 'CANCELLED', 'UNPAID'));
    expect(client.connection.state).toBe('connected');
  });
});
