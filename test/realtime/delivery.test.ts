import { beforeAll, describe, expect, test } from 'vitest';
import { gqlOk, opened, serverPerFile, subscribe, tokenFor, transports } from '../support.ts';

const fixture = serverPerFile();
let admin: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
  bob = await tokenFor('bob');
});

const bookChanged = `subscription ($id: ID) { bookChanged(id: $id) {
  cursor kind bookId at book { id title description copies available } } }`;
const bookingChanged = `subscription ($id: ID) { bookingChanged(id: $id) {
  cursor kind bookingId booking { id userId status paymentStatus startsAt book { id available } } } }`;

const createBook = async (title = 'Beloved', description: string | null = null, copies = 2) =>
  (
    await gqlOk(
      fixture.server,
      'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
      { input: { title, author: 'Toni Morrison', copies, description } },
      admin,
    )
  ).createBook.id as string;

const soon = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe.each(transports)('over %s', (transport) => {
  test('a book created, updated and deleted reaches a subscriber as CREATED, UPDATED, DELETED', async () => {
    const [all] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanged, {}, undefined),
    ]);
    const id = await createBook('Sula');
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { updateBook(id: $id, input: { copies: 7 }) { id } }',
      { id },
      admin,
    );
    await gqlOk(fixture.server, 'mutation ($id: ID!) { deleteBook(id: $id) }', { id }, admin);

    const created = (await all!.next()).data!.bookChanged;
    const updated = (await all!.next()).data!.bookChanged;
    const deleted = (await all!.next()).data!.bookChanged;
    expect(created).toMatchObject({ kind: 'CREATED', bookId: id });
    expect(updated).toMatchObject({ kind: 'UPDATED', bookId: id });
    expect(deleted).toMatchObject({ kind: 'DELETED', bookId: id, book: null });
    // The book is resolved as it is when delivered: by then it is gone.
    expect([created.cursor, updated.cursor, deleted.cursor]).toEqual([
      ...new Set([created.cursor, updated.cursor, deleted.cursor]),
    ]);
    await all!.close();
  });

  test('each booking change reaches its owner: created, confirmed, paid, rescheduled, cancelled', async () => {
    const bookId = await createBook('Jazz', null, 1);
    const [mine] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookingChanged, {}, alice),
    ]);
    const { createBooking } = await gqlOk(
      fixture.server,
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      { input: { bookId, startsAt: soon(0), endsAt: soon(2) } },
      alice,
    );
    const id = createBooking.id;
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { confirmBooking(id: $id) { id } }',
      { id },
      admin,
    );
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { payBooking(id: $id) { id } }',
      { id },
      alice,
    );
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!, $input: UpdateBookingInput!) { updateBooking(id: $id, input: $input) { id } }',
      { id, input: { startsAt: soon(0.01), endsAt: soon(3) } },
      alice,
    );
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { cancelBooking(id: $id) { id } }',
      { id },
      alice,
    );

    const seen: any[] = [];
    for (let i = 0; i < 5; i++) seen.push((await mine!.next()).data!.bookingChanged);
    expect(seen.map((change) => change.kind)).toEqual([
      'CREATED',
      'UPDATED',
      'UPDATED',
      'UPDATED',
      'UPDATED',
    ]);
    expect(
      seen.every((change) => change.bookingId === id && change.booking.userId === 'alice'),
    ).toBe(true);
    // The booking is resolved as it is when the change is read, with its book's availability.
    expect(seen.at(-1).booking).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'REFUNDED',
      book: { id: bookId, available: 1 },
    });
    await mine!.close();
  });

  test('a book whose description is 20,000 multi-byte characters arrives whole', async () => {
    const description = '書'.repeat(10_000) + '📚'.repeat(5_000) + 'é'.repeat(5_000);
    expect([...description].length).toBe(20_000);
    const [all] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanged),
    ]);
    await createBook('Big', description);
    expect((await all!.next()).data!.bookChanged.book.description).toBe(description);
    await all!.close();
  });
});

describe('what a subscriber is allowed to see', () => {
  test('a user receives only their own bookings; an admin receives all', async () => {
    const bookId = await createBook('Paradise', null, 5);
    const [alices, bobs, admins] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', bookingChanged, {}, alice),
      subscribe(fixture.server, 'sse-single', bookingChanged, {}, bob),
      subscribe(fixture.server, 'sse-distinct', bookingChanged, {}, admin),
    ]);
    const book = (token: string) =>
      gqlOk(
        fixture.server,
        'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
        { input: { bookId, startsAt: soon(1), endsAt: soon(2) } },
        token,
      );
    const a = (await book(alice)).createBooking.id;
    const b = (await book(bob)).createBooking.id;
    expect((await alices!.next()).data!.bookingChanged.bookingId).toBe(a);
    expect((await bobs!.next()).data!.bookingChanged.bookingId).toBe(b);
    expect((await admins!.next()).data!.bookingChanged.bookingId).toBe(a);
    expect((await admins!.next()).data!.bookingChanged.bookingId).toBe(b);
    // Alice's next delivery is her own next booking, not Bob's (which came in between).
    const a2 = (await book(alice)).createBooking.id;
    expect((await alices!.next()).data!.bookingChanged.bookingId).toBe(a2);
    for (const subscription of [alices, bobs, admins]) await subscription!.close();
  });

  test('bookingChanged needs a signed-in user, and a user may not watch another user’s booking', async () => {
    const anonymous = subscribe(fixture.server, 'ws', bookingChanged);
    expect((await anonymous.next()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bookId = await createBook('Love', null, 1);
    const { createBooking } = await gqlOk(
      fixture.server,
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      { input: { bookId, startsAt: soon(1), endsAt: soon(2) } },
      alice,
    );
    for (const transport of transports) {
      const spying = subscribe(
        fixture.server,
        transport,
        bookingChanged,
        { id: createBooking.id },
        bob,
      );
      expect((await spying.next()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await spying.close();
    }
    await anonymous.close();
  });

  test('bookChanged(id) delivers only that book', async () => {
    const watched = await createBook('Home');
    const [one] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', bookChanged, { id: watched }),
    ]);
    const other = await createBook('Other');
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { updateBook(id: $id, input: { copies: 3 }) { id } }',
      { id: other },
      admin,
    );
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { updateBook(id: $id, input: { copies: 4 }) { id } }',
      { id: watched },
      admin,
    );
    const change = (await one!.next()).data!.bookChanged;
    expect(change).toMatchObject({ kind: 'UPDATED', bookId: watched, book: { copies: 4 } });
    await one!.close();
  });
});

describe('changes from outside the API', () => {
  test('a change made with plain SQL reaches subscribers', async () => {
    const [all] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'sse-distinct', bookChanged),
    ]);
    const { rows } = await fixture.database.sql.query(
      "INSERT INTO books (title, author, copies) VALUES ('From psql', 'DBA', 1) RETURNING id",
    );
    const change = (await all!.next()).data!.bookChanged;
    expect(change).toMatchObject({ kind: 'CREATED', book: { title: 'From psql' } });
    expect(Buffer.from(change.bookId, 'base64url').toString()).toBe(`Book:${rows[0].id}`);
    await all!.close();
  });

  test('a rolled-back transaction sends nothing', async () => {
    const [all] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', bookChanged),
    ]);
    const client = await fixture.database.sql.connect();
    await client.query('BEGIN');
    await client.query(
      "INSERT INTO books (title, author, copies) VALUES ('Never', 'Rolled back', 1)",
    );
    await client.query('ROLLBACK');
    client.release();
    const failed = await gqlOk(
      fixture.server,
      'mutation { createBook(input: {title: "After", author: "A", copies: 1}) { id } }',
      {},
      admin,
    ).catch(() => null);
    expect(failed).not.toBeNull();
    // The first delivery is the change committed after the rollback.
    expect((await all!.next()).data!.bookChanged.book.title).toBe('After');
    await all!.close();
  });

  test('a booking moved to another book with plain SQL announces both books', async () => {
    const from = await createBook('Moved from', null, 1);
    const to = await createBook('Moved to', null, 1);
    const { createBooking } = await gqlOk(
      fixture.server,
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      { input: { bookId: from, startsAt: soon(0), endsAt: soon(1) } },
      alice,
    );
    const [books] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', bookChanged),
    ]);
    const rawId = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];
    await fixture.database.sql.query('UPDATE bookings SET book_id = $1 WHERE id = $2', [
      rawId(to),
      rawId(createBooking.id),
    ]);
    const announced = [
      (await books!.next()).data!.bookChanged,
      (await books!.next()).data!.bookChanged,
    ];
    expect(
      Object.fromEntries(announced.map((change) => [change.book.title, change.book.available])),
    ).toEqual({
      'Moved to': 0,
      'Moved from': 1,
    });
    await books!.close();
  });

  test('a mutation refused half-way (no copy available) sends nothing', async () => {
    const bookId = await createBook('Scarce', null, 1);
    const [watch] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', bookingChanged, {}, admin),
    ]);
    const book = (token: string) =>
      fixture.server &&
      gqlOk(
        fixture.server,
        'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
        { input: { bookId, startsAt: soon(1), endsAt: soon(2) } },
        token,
      );
    const first = (await book(alice)).createBooking.id;
    await expect(book(bob)).rejects.toThrow(/NO_COPY_AVAILABLE/);
    await gqlOk(
      fixture.server,
      'mutation ($id: ID!) { cancelBooking(id: $id) { id } }',
      { id: first },
      alice,
    );
    expect((await watch!.next()).data!.bookingChanged).toMatchObject({
      kind: 'CREATED',
      bookingId: first,
    });
    expect((await watch!.next()).data!.bookingChanged).toMatchObject({
      kind: 'UPDATED',
      bookingId: first,
    });
    await watch!.close();
  });
});
