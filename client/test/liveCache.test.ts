import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ShelfwireServer } from '../../server/app.ts';
import {
  type TestDatabase,
  createTestDatabase,
  gqlOk,
  startTestServer,
  tokenFor,
} from '../../test/support.ts';
import {
  type ShelfwireClient,
  createShelfwireClient,
  errorCode,
  followChanges,
} from '../src/index.ts';
import type { TransportName } from '../src/transports/transport.ts';
import {
  CachedBook,
  CachedBookEdges,
  CachedBookings,
  CachedBooks,
  CreateBookAsClient,
} from './operations.ts';
import { countingFetch, watchQuery } from './support.ts';
import { whenOpened } from '../../test/feedWaiters.ts';

const transports: TransportName[] = ['ws', 'sse'];

let database: TestDatabase;
let server: ShelfwireServer;
let admin: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  admin = await tokenFor('librarian', 'admin');
});
afterAll(async () => {
  await server?.close();
  await database?.drop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function liveClient(transport: TransportName, token?: string) {
  const requests = countingFetch();
  const client: ShelfwireClient = createShelfwireClient({
    url: server.url,
    token,
    transport,
    fetch: requests.fetch,
  });
  cleanups.push(() => client.dispose());
  return { client, urql: client.urql, requests };
}

/** Follows the change feed and waits until the server has opened its subscriptions. */
async function follow(client: ShelfwireClient, bookings = false) {
  const before = server.changes.subscriptionsOpened;
  const live = followChanges(client.urql, { bookings });
  cleanups.push(() => live.stop());
  await whenOpened(server.changes, before + (bookings ? 2 : 1));
}

function watch<Data, Variables extends Record<string, unknown>>(
  ...args: Parameters<typeof watchQuery<Data, Variables>>
) {
  const watched = watchQuery(...args);
  cleanups.push(() => watched.stop());
  return watched;
}

const createBook = async (title: string, copies = 1) =>
  (
    await gqlOk<{ createBook: { id: string } }>(
      server,
      'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
      { input: { title, author: 'Ursula K. Le Guin', copies } },
      admin,
    )
  ).createBook.id;

describe.each(transports)('over %s', (transport) => {
  test('a book created elsewhere appears in the cached books lists without a refetch', async () => {
    const { client, urql, requests } = liveClient(transport);
    const all = watch(urql, CachedBooks, { first: 50 });
    const searched = watch(urql, CachedBooks, { first: 50, search: 'earthsea' });
    const other = watch(urql, CachedBooks, { first: 50, search: 'no such title' });
    await Promise.all([all.until(() => true), searched.until(() => true), other.until(() => true)]);
    await follow(client);
    const fetched = requests.count();

    const id = await createBook('A Wizard of Earthsea');

    const shown = await all.until((data) => data.books.nodes.some((book) => book.id === id));
    expect(shown.books.nodes.at(-1)).toMatchObject({
      id,
      title: 'A Wizard of Earthsea',
      available: 1,
    });
    await searched.until((data) => data.books.nodes.some((book) => book.id === id));
    expect(other.latest()?.data?.books.nodes.map((book) => book.id)).not.toContain(id);
    expect(requests.count()).toBe(fetched);
  });

  test('a list read through edges gains and loses books like one read through nodes, without a refetch', async () => {
    await createBook(`The Gifts of the Earth (${transport})`);
    const { client, urql, requests } = liveClient(transport);
    const edges = watch(urql, CachedBookEdges, { first: 50 });
    const searched = watch(urql, CachedBookEdges, { first: 50, search: 'gifts' });
    await Promise.all([edges.until(() => true), searched.until(() => true)]);
    await follow(client);
    const fetched = requests.count();
    const ids = (data: { books: { edges: { node: { id: string } }[] } }) =>
      data.books.edges.map((edge) => edge.node.id);

    const id = await createBook(`Gifts (${transport})`);
    const shown = await edges.until((data) => ids(data).includes(id));
    const last = shown.books.edges.at(-1)!;
    expect(last.node).toMatchObject({ id, title: `Gifts (${transport})` });
    // Borrowed from the edge before it: paging on from it may repeat a book, never skip one.
    expect(last.cursor).toBe(shown.books.edges.at(-2)?.cursor);
    await searched.until((data) => ids(data).includes(id));

    await gqlOk(server, 'mutation ($id: ID!) { deleteBook(id: $id) }', { id }, admin);
    await edges.until((data) => !ids(data).includes(id));
    await searched.until((data) => !ids(data).includes(id));
    expect(requests.count()).toBe(fetched);
  });

  test('a book updated elsewhere changes in place in lists and in book(id) without a refetch', async () => {
    const id = await createBook('The Tombs of Atuan');
    const { client, urql, requests } = liveClient(transport);
    const list = watch(urql, CachedBooks, { first: 50 });
    const single = watch(urql, CachedBook, { id });
    await Promise.all([list.until(() => true), single.until(() => true)]);
    await follow(client);
    const fetched = requests.count();

    await gqlOk(
      server,
      'mutation ($id: ID!) { updateBook(id: $id, input: { title: "The Farthest Shore", copies: 3 }) { id } }',
      { id },
      admin,
    );

    await single.until(
      (data) => data.book?.title === 'The Farthest Shore' && data.book.copies === 3,
    );
    const updated = await list.until((data) =>
      data.books.nodes.some((book) => book.id === id && book.title === 'The Farthest Shore'),
    );
    expect(updated.books.nodes.filter((book) => book.id === id)).toHaveLength(1);
    expect(requests.count()).toBe(fetched);
  });

  test('a book deleted elsewhere disappears from lists and from book(id) without a refetch', async () => {
    const id = await createBook('Tehanu');
    const { client, urql, requests } = liveClient(transport);
    const list = watch(urql, CachedBooks, { first: 50 });
    const single = watch(urql, CachedBook, { id });
    await list.until((data) => data.books.nodes.some((book) => book.id === id));
    await single.until((data) => data.book?.id === id);
    await follow(client);
    const fetched = requests.count();

    await gqlOk(server, 'mutation ($id: ID!) { deleteBook(id: $id) }', { id }, admin);

    await list.until((data) => !data.books.nodes.some((book) => book.id === id));
    await single.until((data) => data.book === null);
    expect(requests.count()).toBe(fetched);
  });

  test("booking changes update the owner's bookings list and Book.available without a refetch", async () => {
    const bookId = await createBook('The Other Wind', 2);
    const reader = await tokenFor(`reader-${transport}`);
    const { client, urql, requests } = liveClient(transport, reader);
    const bookings = watch(urql, CachedBookings, { first: 50 });
    const cancelled = watch(urql, CachedBookings, { first: 50, status: 'CANCELLED' });
    const book = watch(urql, CachedBook, { id: bookId });
    await Promise.all([
      bookings.until(() => true),
      cancelled.until(() => true),
      book.until(() => true),
    ]);
    await follow(client, true);
    const fetched = requests.count();

    const now = Date.now();
    const { createBooking } = await gqlOk<{ createBooking: { id: string } }>(
      server,
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      {
        input: {
          bookId,
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 86_400_000).toISOString(),
        },
      },
      reader,
    );
    const id = createBooking.id;
    const created = await bookings.until((data) =>
      data.bookings.nodes.some((booking) => booking.id === id),
    );
    expect(created.bookings.nodes.find((booking) => booking.id === id)).toMatchObject({
      status: 'PENDING',
      paymentStatus: 'UNPAID',
    });
    await book.until((data) => data.book?.available === 1);

    await gqlOk(server, 'mutation ($id: ID!) { payBooking(id: $id) { id } }', { id }, reader);
    await bookings.until((data) =>
      data.bookings.nodes.some((booking) => booking.id === id && booking.paymentStatus === 'PAID'),
    );

    await gqlOk(server, 'mutation ($id: ID!) { cancelBooking(id: $id) { id } }', { id }, admin);
    const refunded = await bookings.until((data) =>
      data.bookings.nodes.some((booking) => booking.id === id && booking.status === 'CANCELLED'),
    );
    expect(refunded.bookings.nodes.find((booking) => booking.id === id)?.paymentStatus).toBe(
      'REFUNDED',
    );
    await cancelled.until((data) => data.bookings.nodes.some((booking) => booking.id === id));
    await book.until((data) => data.book?.available === 2);
    expect(requests.count()).toBe(fetched);
  });

  test('errors reach the caller with their extensions.code', async () => {
    const reader = liveClient(transport, await tokenFor('reader'));
    const forbidden = await reader.urql
      .mutation(CreateBookAsClient, { input: { title: 'Nope', author: 'Nobody', copies: 1 } })
      .toPromise();
    expect(errorCode(forbidden.error)).toBe('FORBIDDEN');

    const forged = liveClient(transport, 'not-a-token');
    const query = await forged.urql.query(CachedBooks, { first: 1 }).toPromise();
    expect(errorCode(query.error)).toBe('UNAUTHENTICATED');
    const changes = await new Promise<import('@urql/core').CombinedError>((resolve) =>
      followChanges(forged.urql, { bookings: true, onError: resolve }),
    );
    expect(errorCode(changes)).toBe('UNAUTHENTICATED');
  });
});
