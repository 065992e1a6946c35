// Availability follows the clock: when an active booking's start or end passes, its book gets one
// availability change, however many instances run, and also when no instance ran at that moment.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ShelfwireServer } from '../../server/app.ts';
import { startAvailabilityClock } from '../../server/realtime/availabilityClock.ts';
import {
  type Subscription,
  type TestDatabase,
  createTestDatabase,
  gqlOk,
  opened,
  startTestServer,
  subscribe,
  tokenFor,
} from '../support.ts';

let admin: string;
let alice: string;
beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
});

/** Ticks often, so that two instances race for every boundary. */
const quickClock = { AVAILABILITY_CLOCK_MS: '20' };

const bookChanged = `subscription ($after: String) { bookChanged(after: $after) {
  cursor kind changedFields bookId book { title available } } }`;

interface BookChange {
  cursor: string;
  kind: string;
  changedFields: string[];
  bookId: string;
  book: { title: string; available: number } | null;
}

const rowId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1]!;

async function createBook(server: ShelfwireServer, title: string, copies: number) {
  const { createBook } = await gqlOk(
    server,
    'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
    { input: { title, author: 'Ursula K. Le Guin', copies } },
    admin,
  );
  return createBook.id as string;
}

async function createBooking(
  server: ShelfwireServer,
  bookId: string,
  startsAt: Date,
  endsAt: Date,
) {
  const { createBooking } = await gqlOk(
    server,
    'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
    { input: { bookId, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() } },
    alice,
  );
  return createBooking.id as string;
}

/** The next change on `subscription`, failing the test when none comes within `ms`. */
async function nextChange(subscription: Subscription<{ bookChanged: BookChange }>, ms = 5000) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no change within ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([subscription.next(), timeout]);
    if (value.errors?.length) throw new Error(JSON.stringify(value.errors));
    return value.data!.bookChanged;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `sql` answers `reached`, asking every 20 ms: the event awaited is time passing. */
async function untilDatabase(database: TestDatabase, sql: string, params: unknown[], what: string) {
  for (const deadline = Date.now() + 15_000; ;) {
    const { rows } = await database.sql.query<{ reached: boolean }>(sql, params);
    if (rows[0]?.reached) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const timePassed = (database: TestDatabase, moment: Date) =>
  untilDatabase(database, 'SELECT now() > $1 AS reached', [moment], moment.toISOString());

/** The clock has announced everything up to `moment`. */
const clockPassed = (database: TestDatabase, moment: Date) =>
  untilDatabase(
    database,
    'SELECT passed_up_to > $1 AS reached FROM availability_clock',
    [moment],
    `the clock passes ${moment.toISOString()}`,
  );

/** How many availability changes of each book the log holds. */
async function availabilityChanges(database: TestDatabase, bookIds: string[]) {
  const { rows } = await database.sql.query<{ book: string; changes: number }>(
    `SELECT entity_id::text AS book, count(*)::int AS changes FROM change_log
     WHERE entity = 'book' AND kind = 'UPDATED' AND changed_fields = '{available}'
       AND entity_id = ANY($1::uuid[])
     GROUP BY entity_id`,
    [bookIds.map(rowId)],
  );
  return Object.fromEntries(
    bookIds.map((id) => [id, rows.find((row) => row.book === rowId(id))?.changes ?? 0]),
  );
}

const summary = (change: BookChange) => ({
  bookId: change.bookId,
  kind: change.kind,
  changedFields: change.changedFields,
  available: change.book?.available,
});

describe('two instances on one database', () => {
  let database: TestDatabase;
  let one: ShelfwireServer;
  let two: ShelfwireServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    one = await startTestServer(database, quickClock);
    two = await startTestServer(database, quickClock);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  test('each start and end reaches subscribers on both instances exactly once, with `available` right', async () => {
    const books = [
      await createBook(one, 'The Left Hand of Darkness', 2),
      await createBook(one, 'The Word for World Is Forest', 2),
      await createBook(two, 'The Telling', 2),
    ];
    const [onOne] = await opened(one, () => [
      subscribe<{ bookChanged: BookChange }>(one, 'ws', bookChanged),
    ]);
    const [onTwo] = await opened(two, () => [
      subscribe<{ bookChanged: BookChange }>(two, 'sse-distinct', bookChanged),
    ]);
    const base = Date.now() + 1500;
    const windows = books.map((_, index) => ({
      startsAt: new Date(base + index * 300),
      endsAt: new Date(base + index * 300 + 2000),
    }));
    for (const [index, bookId] of books.entries()) {
      await createBooking(
        index === 1 ? two : one,
        bookId,
        windows[index]!.startsAt,
        windows[index]!.endsAt,
      );
    }

    // Starts in order, then ends in order: nothing announced when the bookings were made (they
    // took no copy then), one change at each boundary.
    const expected = [
      ...books.map((bookId) => ({ bookId, available: 1 })),
      ...books.map((bookId) => ({ bookId, available: 2 })),
    ].map((change) => ({ ...change, kind: 'UPDATED', changedFields: ['available'] }));
    for (const subscriber of [onOne!, onTwo!]) {
      const received = [];
      while (received.length < expected.length)
        received.push(summary(await nextChange(subscriber)));
      expect(received).toEqual(expected);
    }

    // Both instances keep ticking past the last end; neither announces any boundary again.
    await clockPassed(database, new Date(windows[2]!.endsAt.getTime() + 300));
    const sentinel = await createBook(two, 'Sentinel', 1);
    for (const subscriber of [onOne!, onTwo!]) {
      expect(await nextChange(subscriber)).toMatchObject({ kind: 'CREATED', bookId: sentinel });
    }
    expect(await availabilityChanges(database, books)).toEqual(
      Object.fromEntries(books.map((id) => [id, 2])),
    );
    await onOne!.close();
    await onTwo!.close();
  });

  test('a booking written with its start already past is announced by its write, and its end by the clock', async () => {
    const bookId = await createBook(one, 'Lavinia', 1);
    const [changes] = await opened(two, () => [
      subscribe<{ bookChanged: BookChange }>(two, 'ws', bookChanged),
    ]);
    const now = Date.now();
    const endsAt = new Date(now + 1000);
    await createBooking(one, bookId, new Date(now - 2000), endsAt);

    expect(summary(await nextChange(changes!))).toEqual({
      bookId,
      kind: 'UPDATED',
      changedFields: ['available'],
      available: 0,
    });
    expect(summary(await nextChange(changes!))).toMatchObject({ bookId, available: 1 });
    await clockPassed(database, new Date(endsAt.getTime() + 300));
    const sentinel = await createBook(one, 'Sentinel 2', 1);
    expect(await nextChange(changes!)).toMatchObject({ kind: 'CREATED', bookId: sentinel });
    expect(await availabilityChanges(database, [bookId])).toEqual({ [bookId]: 2 });
    await changes!.close();
  });
});

describe('while no instance runs', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('boundaries that passed while every instance was down are announced at the next start, in order', async () => {
    const first = await startTestServer(database, quickClock);
    const [probe] = await opened(first, () => [
      subscribe<{ bookChanged: BookChange }>(first, 'ws', bookChanged),
    ]);
    const books = [
      await createBook(first, 'Rocannon’s World', 1),
      await createBook(first, 'Planet of Exile', 1),
    ];
    await nextChange(probe!);
    const { cursor } = await nextChange(probe!);
    await probe!.close();
    await first.close();

    // Written by a plain SQL client while no instance runs: the later-listed book starts first.
    const { rows } = await database.sql.query<{ starts_at: Date; ends_at: Date }>(
      `INSERT INTO bookings (book_id, user_id, starts_at, ends_at)
       VALUES ($1, 'alice', now() + interval '400 ms', now() + interval '3 s'),
              ($2, 'alice', now() + interval '200 ms', now() + interval '3.2 s')
       RETURNING starts_at, ends_at`,
      [rowId(books[0]!), rowId(books[1]!)],
    );
    await timePassed(database, rows[0]!.starts_at);
    expect(await availabilityChanges(database, books)).toEqual({ [books[0]!]: 0, [books[1]!]: 0 });

    const next = await startTestServer(database, quickClock);
    const [resumed] = await opened(next, () => [
      subscribe<{ bookChanged: BookChange }>(next, 'sse-distinct', bookChanged, { after: cursor }),
    ]);
    const received = [];
    while (received.length < 4) received.push(summary(await nextChange(resumed!)));
    expect(received).toEqual(
      [
        { bookId: books[1], available: 0 },
        { bookId: books[0], available: 0 },
        { bookId: books[0], available: 1 },
        { bookId: books[1], available: 1 },
      ].map((change) => ({ ...change, kind: 'UPDATED', changedFields: ['available'] })),
    );
    await clockPassed(database, new Date(rows[1]!.ends_at.getTime() + 300));
    expect(await availabilityChanges(database, books)).toEqual({ [books[0]!]: 2, [books[1]!]: 2 });
    await resumed!.close();
    await next.close();
  });

  test('a cancel after an end the clock has not announced yet announces it, and the clock does not', async () => {
    // This instance's clock ticks once as it starts, then not for ten minutes.
    const still = await startTestServer(database, { AVAILABILITY_CLOCK_MS: '600000' });
    const bookId = await createBook(still, 'The Eye of the Heron', 1);
    const [changes] = await opened(still, () => [
      subscribe<{ bookChanged: BookChange }>(still, 'ws', bookChanged),
    ]);
    const now = Date.now();
    const endsAt = new Date(now + 700);
    const bookingId = await createBooking(still, bookId, new Date(now - 1000), endsAt);
    expect(summary(await nextChange(changes!))).toMatchObject({ bookId, available: 0 });

    await timePassed(database, endsAt);
    await gqlOk(
      still,
      'mutation ($id: ID!) { cancelBooking(id: $id) { id } }',
      { id: bookingId },
      alice,
    );
    expect(summary(await nextChange(changes!))).toEqual({
      bookId,
      kind: 'UPDATED',
      changedFields: ['available'],
      available: 1,
    });

    const ticking = await startTestServer(database, quickClock);
    await clockPassed(database, new Date(endsAt.getTime() + 300));
    const sentinel = await createBook(still, 'Sentinel 3', 1);
    expect(await nextChange(changes!)).toMatchObject({ kind: 'CREATED', bookId: sentinel });
    expect(await availabilityChanges(database, [bookId])).toEqual({ [bookId]: 2 });
    await changes!.close();
    await ticking.close();
    await still.close();
  });
});

describe('catching up', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('a backlog is announced a bounded number of boundaries at a time, oldest first', async () => {
    const { rows: books } = await database.sql.query<{ id: string }>(
      `INSERT INTO books (title, author, copies)
       SELECT 'Backlog ' || n, 'Le Guin', 1 FROM generate_series(1, 5) n RETURNING id`,
    );
    const { rows: bookings } = await database.sql.query<{ book_id: string; starts_at: Date }>(
      `INSERT INTO bookings (book_id, user_id, starts_at, ends_at)
       SELECT id, 'alice', now() + interval '300 ms' - n * interval '20 ms', now() + interval '1 hour'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS b(id, n)
       RETURNING book_id, starts_at`,
      [books.map((book) => book.id)],
    );
    const byStart = bookings.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime());
    await timePassed(database, byStart.at(-1)!.starts_at);

    const advance = async () =>
      (
        await database.sql.query<{ reached: Date; changed_books: number; more_waiting: boolean }>(
          'SELECT * FROM advance_availability_clock(2)',
        )
      ).rows[0]!;
    expect(await advance()).toEqual({
      reached: byStart[1]!.starts_at,
      changed_books: 2,
      more_waiting: true,
    });
    expect(await advance()).toMatchObject({
      reached: byStart[3]!.starts_at,
      changed_books: 2,
      more_waiting: true,
    });
    expect(await advance()).toMatchObject({ changed_books: 1, more_waiting: false });
    expect(await advance()).toMatchObject({ changed_books: 0, more_waiting: false });

    const { rows: announced } = await database.sql.query<{ entity_id: string }>(
      `SELECT entity_id FROM change_log
       WHERE entity = 'book' AND changed_fields = '{available}' ORDER BY tx, seq`,
    );
    expect(announced.map((row) => row.entity_id)).toEqual(byStart.map((row) => row.book_id));
  });
});

test('a failed tick is logged and retried at the next one; stopping waits for a tick in progress', async () => {
  const calls: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
  let called: () => void = () => undefined;
  const pool = {
    query: () =>
      new Promise((resolve, reject) => {
        calls.push({ resolve, reject });
        called();
      }),
  } as unknown as pg.Pool;
  const nextCall = (count: number) =>
    new Promise<void>((resolve) => {
      called = () => calls.length >= count && resolve();
      called();
    });

  const clock = startAvailabilityClock(pool, 10);
  await nextCall(1);
  calls[0]!.reject(new Error('the database is restarting'));
  await nextCall(2);
  let stopped = false;
  const stopping = clock.stop().then(() => (stopped = true));
  await Promise.resolve();
  expect(stopped).toBe(false);
  calls[1]!.resolve({ rows: [] });
  await stopping;
  expect(calls).toHaveLength(2);
});
