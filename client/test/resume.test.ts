import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ShelfwireServer } from '../../server/app.ts';
import {
  type TestDatabase,
  createTestDatabase,
  gqlOk,
  startTestServer,
  tokenFor,
} from '../../test/support.ts';
import { createShelfwireClient, followChanges } from '../src/index.ts';
import type { TransportName } from '../src/transports/transport.ts';
import { CachedBook, CachedBookings, CachedBooks } from './operations.ts';
import { type CuttableNetwork, countingFetch, cuttableNetwork, watchQuery } from './support.ts';

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

const admin$ = <T>(query: string, variables: Record<string, unknown> = {}, token = admin) =>
  gqlOk<T>(server, query, variables, token);

const createBook = async (title: string, copies = 1) =>
  (
    await admin$<{ createBook: { id: string } }>(
      'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
      { input: { title, author: 'Octavia E. Butler', copies } },
    )
  ).createBook.id;

describe.each(transports)('over %s', (transport) => {
  test('after a dropped connection the cache receives exactly the changes it missed', async () => {
    const reader = await tokenFor(`resuming-reader-${transport}`);
    const kept = await createBook(`Kindred (${transport})`);
    const doomed = await createBook(`Dawn (${transport})`);
    const requests = countingFetch();
    const client = createShelfwireClient({
      url: network.url,
      token: reader,
      transport,
      fetch: requests.fetch,
    });
    cleanups.push(() => client.dispose());
    const books = watchQuery(client.urql, CachedBooks, { first: 100 });
    const book = watchQuery(client.urql, CachedBook, { id: kept });
    const bookings = watchQuery(client.urql, CachedBookings, { first: 100 });
    cleanups.push(books.stop, book.stop, bookings.stop);
    await Promise.all([
      books.until(() => true),
      book.until(() => true),
      bookings.until(() => true),
    ]);
    const before = server.changes.subscriptionsOpened;
    const live = followChanges(client.urql, { bookings: true });
    cleanups.push(live.stop);
    await server.changes.whenOpened(before + 2);
    await client.connection.until('connected');
    // A live booking first: both streams then hold a cursor to resume from.
    const now = Date.now();
    const { createBooking: booking } = await admin$<{ createBooking: { id: string } }>(
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      {
        input: {
          bookId: kept,
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 86_400_000).toISOString(),
        },
      },
      reader,
    );
    await bookings.until((data) => data.bookings.nodes.some((node) => node.id === booking.id));
    await book.until((data) => data.book?.available === 0);
    const fetched = requests.count();

    network.cut();
    await client.connection.until('reconnecting');
    const added = await createBook(`Parable of the Sower (${transport})`);
    await admin$(
      'mutation ($id: ID!) { updateBook(id: $id, input: { title: "Kindred, revised", copies: 3 }) { id } }',
      {
        id: kept,
      },
    );
    await admin$('mutation ($id: ID!) { deleteBook(id: $id) }', { id: doomed });
    await admin$('mutation ($id: ID!) { payBooking(id: $id) { id } }', { id: booking.id }, reader);
    await admin$('mutation ($id: ID!) { confirmBooking(id: $id) { id } }', { id: booking.id });
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
    await bookings.until((data) =>
      data.bookings.nodes.some(
        (node) =>
          node.id === booking.id && node.status === 'CONFIRMED' && node.paymentStatus === 'PAID',
      ),
    );
    await book.until(
      (data) => data.book?.title === 'Kindred, revised' && data.book.available === 2,
    );
    expect(requests.count()).toBe(fetched);
  });
});
