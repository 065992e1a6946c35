// Batches: many changes in one message, once `maxBatch` are ready or `maxWaitMs` has passed.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  errorCode,
  gqlOk,
  opened,
  serverPerFile,
  subscribe,
  tokenFor,
  transports,
} from '../support.ts';

const fixture = serverPerFile();
let admin: string;
let alice: string;

beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
});

const bookChanges = `subscription ($after: String, $maxBatch: Int, $maxWaitMs: Int) {
  bookChanges(after: $after, maxBatch: $maxBatch, maxWaitMs: $maxWaitMs) {
    cursor changes { cursor kind book { title } } } }`;

/** Books written in one transaction: the feed reads them together. */
const insertBooks = (prefix: string, count: number) =>
  fixture.database.sql.query(
    `INSERT INTO books (title, author, copies)
     SELECT $1 || ' ' || n, 'Italo Calvino', 1 FROM generate_series(1, $2::int) n ORDER BY n`,
    [prefix, count],
  );

const titles = (batch: Record<string, any>) =>
  batch.changes.map((change: Record<string, any>) => change.book.title);

describe.each(transports)('over %s', (transport) => {
  test('full batches leave at maxBatch, each with its last change as the cursor', async () => {
    const [batches] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanges, { maxBatch: 3, maxWaitMs: 60_000 }),
    ]);
    await insertBooks(`Full ${transport}`, 6);
    const first = (await batches!.next()).data!.bookChanges;
    const second = (await batches!.next()).data!.bookChanges;
    expect(titles(first)).toEqual([1, 2, 3].map((n) => `Full ${transport} ${n}`));
    expect(titles(second)).toEqual([4, 5, 6].map((n) => `Full ${transport} ${n}`));
    expect(first.cursor).toBe(first.changes.at(-1).cursor);
    await batches!.close();

    // Resuming after a batch's cursor gives what came after it.
    const [resumed] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanges, {
        after: first.cursor,
        maxBatch: 3,
        maxWaitMs: 60_000,
      }),
    ]);
    expect(titles((await resumed!.next()).data!.bookChanges)).toEqual(titles(second));
    await resumed!.close();
  });

  test('a batch that does not fill leaves maxWaitMs after its first change', async () => {
    const [batches] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanges, { maxBatch: 100, maxWaitMs: 50 }),
    ]);
    await insertBooks(`Part ${transport}`, 2);
    const batch = (await batches!.next()).data!.bookChanges;
    expect(titles(batch)).toEqual([`Part ${transport} 1`, `Part ${transport} 2`]);
    await batches!.close();
  });
});

test("a user's booking batches hold only their own bookings, filtered", async () => {
  const { createBook } = await gqlOk(
    fixture.server,
    'mutation { createBook(input: { title: "Invisible Cities", author: "Italo Calvino", copies: 5 }) { id } }',
    {},
    admin,
  );
  const [mine] = await opened(fixture.server, () => [
    subscribe(
      fixture.server,
      'ws',
      `subscription { bookingChanges(filter: { events: [REQUESTED] }, maxBatch: 2, maxWaitMs: 60000) {
        changes { events booking { userId } } } }`,
      {},
      alice,
    ),
  ]);
  const start = Date.now() + 86_400_000;
  const window = (days: number) => ({
    startsAt: new Date(start + days * 86_400_000).toISOString(),
    endsAt: new Date(start + days * 86_400_000 + 3_600_000).toISOString(),
  });
  const bookAs = (token: string, days: number) =>
    gqlOk(
      fixture.server,
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      { input: { bookId: createBook.id, ...window(days) } },
      token,
    );
  const first = await bookAs(alice, 0);
  await bookAs(await tokenFor('bob'), 1);
  await gqlOk(
    fixture.server,
    'mutation ($id: ID!) { confirmBooking(id: $id) { id } }',
    { id: first.createBooking.id },
    admin,
  );
  await bookAs(alice, 2);
  const batch = (await mine!.next()).data!.bookingChanges;
  expect(batch.changes).toEqual([
    { events: ['REQUESTED'], booking: { userId: 'alice' } },
    { events: ['REQUESTED'], booking: { userId: 'alice' } },
  ]);
  await mine!.close();
});

describe.each(transports)('bad batch limits over %s', (transport) => {
  test.each([{ maxBatch: 0 }, { maxBatch: 1001 }, { maxWaitMs: -1 }, { maxWaitMs: 60_001 }])(
    '%o is refused with BAD_USER_INPUT',
    async (limits) => {
      const subscription = subscribe(fixture.server, transport, bookChanges, limits);
      const errors = await subscription.refused;
      await subscription.close();
      expect(errorCode({ errors })).toBe('BAD_USER_INPUT');
    },
  );
});
