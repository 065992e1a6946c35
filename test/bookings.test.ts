import { beforeAll, describe, expect, test } from 'vitest';
import { errorCode, gql, gqlOk, serverPerFile, tokenFor } from './support.ts';

const fixture = serverPerFile();
let admin: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
  bob = await tokenFor('bob');
});

const hour = 3_600_000;
const at = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * hour).toISOString();

const bookingFields = 'id userId status paymentStatus startsAt endsAt book { id available }';

async function newBook(copies = 1): Promise<string> {
  const { createBook } = await gqlOk(
    fixture.server,
    'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
    { input: { title: 'Kindred', author: 'Octavia E. Butler', copies } },
    admin,
  );
  return createBook.id;
}

const createBooking = (
  token: string | undefined,
  bookId: string,
  startsAt = at(1),
  endsAt = at(3),
) =>
  gql(
    fixture.server,
    `mutation ($input: CreateBookingInput!) { createBooking(input: $input) { ${bookingFields} } }`,
    { input: { bookId, startsAt, endsAt } },
    token,
  );

async function booked(token: string, bookId: string, startsAt = at(1), endsAt = at(3)) {
  const result = await createBooking(token, bookId, startsAt, endsAt);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createBooking;
}

const action = (name: 'confirm' | 'cancel' | 'pay', id: string, token: string) =>
  gql(
    fixture.server,
    `mutation ($id: ID!) { ${name}Booking(id: $id) { ${bookingFields} } }`,
    { id },
    token,
  );

describe('making a booking', () => {
  test('a user books a copy: PENDING, UNPAID, owned by them', async () => {
    const bookId = await newBook();
    const booking = await booked(alice, bookId);
    expect(booking).toMatchObject({ userId: 'alice', status: 'PENDING', paymentStatus: 'UNPAID' });
    expect(booking.book.id).toBe(bookId);
  });

  test('a booking running now lowers the book’s availability', async () => {
    const bookId = await newBook(2);
    const booking = await booked(alice, bookId, at(0), at(1));
    expect(booking.book.available).toBe(1);
  });

  test('anonymous clients cannot book', async () => {
    expect(errorCode(await createBooking(undefined, await newBook()))).toBe('UNAUTHENTICATED');
  });

  test('a booking that overlaps the only copy is refused with NO_COPY_AVAILABLE; an adjacent one is fine', async () => {
    const bookId = await newBook(1);
    await booked(alice, bookId, at(10), at(20));
    expect(errorCode(await createBooking(bob, bookId, at(19), at(25)))).toBe('NO_COPY_AVAILABLE');
    expect(errorCode(await createBooking(bob, bookId, at(5), at(30)))).toBe('NO_COPY_AVAILABLE');
    await booked(bob, bookId, at(20), at(25));
  });

  test('with two copies, refusal depends on the peak at some moment, not on the total overlapping', async () => {
    const bookId = await newBook(2);
    await booked(alice, bookId, at(0), at(10));
    await booked(alice, bookId, at(20), at(30));
    // Overlaps both, but never both at once: one copy is always free.
    await booked(bob, bookId, at(5), at(25));
    // Now 5–10 and 20–25 have two active bookings each.
    expect(errorCode(await createBooking(bob, bookId, at(8), at(9)))).toBe('NO_COPY_AVAILABLE');
    await booked(bob, bookId, at(12), at(18));
  });

  test('a cancelled booking frees its copy', async () => {
    const bookId = await newBook(1);
    const first = await booked(alice, bookId);
    await action('cancel', first.id, alice);
    await booked(bob, bookId);
  });

  test.each([
    ['input.endsAt', 'ends before it starts', at(5), at(4)],
    ['input.endsAt', 'ends when it starts', at(5), at(5)],
    ['input.endsAt', 'lasts more than 90 days', at(1), at(1 + 90 * 24 + 1)],
    ['input.startsAt', 'starts in the past', at(-2), at(1)],
    ['input.startsAt', 'starts in year 0000', '0000-01-01T00:00:00Z', at(1)],
    ['input.startsAt', 'starts more than a year ahead', at(366 * 24), at(366 * 24 + 1)],
  ])('%s: a booking that %s is BAD_USER_INPUT', async (field, _what, startsAt, endsAt) => {
    const result = await createBooking(alice, await newBook(), startsAt, endsAt);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.field).toBe(field);
  });

  test('a malformed date is refused as bad input', async () => {
    const result = await createBooking(alice, await newBook(), 'tomorrow', at(4));
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('booking a book that does not exist is NOT_FOUND', async () => {
    const missing = Buffer.from('Book:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect(errorCode(await createBooking(alice, missing))).toBe('NOT_FOUND');
  });

  test('50 simultaneous bookings of the last copy: exactly one succeeds, the rest get NO_COPY_AVAILABLE', async () => {
    const bookId = await newBook(1);
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => tokenFor(`racer-${i}`)));
    const results = await Promise.all(tokens.map((token) => createBooking(token, bookId)));
    expect(results.filter((result) => result.data?.createBooking).length).toBe(1);
    expect(results.filter((result) => errorCode(result) === 'NO_COPY_AVAILABLE').length).toBe(49);
    const { rows } = await fixture.database.sql.query(
      "SELECT count(*)::int AS n FROM bookings WHERE book_id = (SELECT id FROM books ORDER BY created_at DESC LIMIT 1) AND status <> 'CANCELLED'",
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('booking transitions', () => {
  test('admin confirms, owner pays, owner cancels: a paid booking is refunded', async () => {
    const booking = await booked(alice, await newBook());
    expect((await action('confirm', booking.id, admin)).data?.confirmBooking.status).toBe(
      'CONFIRMED',
    );
    expect((await action('pay', booking.id, alice)).data?.payBooking.paymentStatus).toBe('PAID');
    const cancelled = (await action('cancel', booking.id, alice)).data?.cancelBooking;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED' });
  });

  test('an admin may cancel anyone’s booking; an unpaid one stays UNPAID', async () => {
    const booking = await booked(alice, await newBook());
    const cancelled = (await action('cancel', booking.id, admin)).data?.cancelBooking;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', paymentStatus: 'UNPAID' });
  });

  type Step = ['confirm' | 'cancel' | 'pay', 'admin' | 'alice'];
  test.each<[string, Step, Step]>([
    ['confirm a confirmed booking', ['confirm', 'admin'], ['confirm', 'admin']],
    ['confirm a cancelled booking', ['cancel', 'alice'], ['confirm', 'admin']],
    ['cancel a cancelled booking', ['cancel', 'alice'], ['cancel', 'alice']],
    ['pay a cancelled booking', ['cancel', 'alice'], ['pay', 'alice']],
    ['pay twice', ['pay', 'alice'], ['pay', 'alice']],
  ])('INVALID_TRANSITION, and nothing changes: %s', async (_name, first, second) => {
    const tokens = { admin, alice };
    const booking = await booked(alice, await newBook());
    await action(first[0], booking.id, tokens[first[1]]);
    const read = () =>
      gqlOk(
        fixture.server,
        'query ($id: ID!) { booking(id: $id) { status paymentStatus updatedAt } }',
        { id: booking.id },
        admin,
      );
    const before = await read();
    expect(errorCode(await action(second[0], booking.id, tokens[second[1]]))).toBe(
      'INVALID_TRANSITION',
    );
    expect(await read()).toEqual(before);
  });

  test('only an admin confirms; only the owner pays; nobody else cancels', async () => {
    const booking = await booked(alice, await newBook());
    expect(errorCode(await action('confirm', booking.id, alice))).toBe('FORBIDDEN');
    expect(errorCode(await action('pay', booking.id, admin))).toBe('FORBIDDEN');
    expect(errorCode(await action('pay', booking.id, bob))).toBe('FORBIDDEN');
    expect(errorCode(await action('cancel', booking.id, bob))).toBe('FORBIDDEN');
  });

  test('rescheduling re-checks availability without counting the booking itself', async () => {
    const bookId = await newBook(1);
    const mine = await booked(alice, bookId, at(10), at(20));
    await booked(bob, bookId, at(30), at(40));
    const update = (startsAt: string, endsAt: string, token = alice) =>
      gql(
        fixture.server,
        `mutation ($id: ID!, $input: UpdateBookingInput!) { updateBooking(id: $id, input: $input) { startsAt endsAt } }`,
        { id: mine.id, input: { startsAt, endsAt } },
        token,
      );
    const moved = await update(at(12), at(25));
    expect(moved.data?.updateBooking.startsAt).toBe(
      new Date(moved.data?.updateBooking.startsAt).toISOString(),
    );
    expect(errorCode(await update(at(25), at(35)))).toBe('NO_COPY_AVAILABLE');
    expect(errorCode(await update(at(12), at(25), bob))).toBe('FORBIDDEN');
    await action('cancel', mine.id, alice);
    expect(errorCode(await update(at(1), at(2)))).toBe('INVALID_TRANSITION');
  });
});

describe('reading bookings', () => {
  test('a user lists only their own bookings; an admin lists everyone’s, filtered by status', async () => {
    const bookId = await newBook(5);
    const alices = await booked(alice, bookId);
    const bobs = await booked(bob, bookId);
    await action('confirm', bobs.id, admin);
    const list = async (token: string, status?: string) =>
      (
        await gqlOk(
          fixture.server,
          'query ($status: BookingStatus) { bookings(first: 100, status: $status) { edges { node { id userId status } } } }',
          { status },
          token,
        )
      ).bookings.edges.map((edge: any) => edge.node);
    expect((await list(alice)).every((node: any) => node.userId === 'alice')).toBe(true);
    expect((await list(alice)).map((node: any) => node.id)).toContain(alices.id);
    const confirmed = await list(admin, 'CONFIRMED');
    expect(confirmed.map((node: any) => node.id)).toContain(bobs.id);
    expect(confirmed.every((node: any) => node.status === 'CONFIRMED')).toBe(true);
  });

  test('booking(id) is the owner’s or an admin’s to read; others get FORBIDDEN; anonymous UNAUTHENTICATED', async () => {
    const mine = await booked(alice, await newBook());
    const query = 'query ($id: ID!) { booking(id: $id) { id userId } }';
    expect((await gqlOk(fixture.server, query, { id: mine.id }, alice)).booking.userId).toBe(
      'alice',
    );
    expect((await gqlOk(fixture.server, query, { id: mine.id }, admin)).booking.userId).toBe(
      'alice',
    );
    expect(errorCode(await gql(fixture.server, query, { id: mine.id }, bob))).toBe('FORBIDDEN');
    expect(errorCode(await gql(fixture.server, query, { id: mine.id }))).toBe('UNAUTHENTICATED');
    expect(
      errorCode(await gql(fixture.server, '{ bookings(first: 1) { edges { node { id } } } }')),
    ).toBe('UNAUTHENTICATED');
  });

  test('node(id) does not reveal another user’s booking', async () => {
    const mine = await booked(alice, await newBook());
    const result = await gql(
      fixture.server,
      'query ($id: ID!) { node(id: $id) { ... on Booking { userId } } }',
      { id: mine.id },
      bob,
    );
    expect(result.data?.node ?? null).toBeNull();
    expect(errorCode(result)).toBe('FORBIDDEN');
  });
});

describe('copies and active bookings', () => {
  test('copies cannot go below the peak of active bookings: BAD_USER_INPUT naming input.copies', async () => {
    const bookId = await newBook(3);
    await booked(alice, bookId, at(1), at(5));
    await booked(bob, bookId, at(2), at(6));
    const lower = (copies: number) =>
      gql(
        fixture.server,
        'mutation ($id: ID!, $copies: Int!) { updateBook(id: $id, input: { copies: $copies }) { copies } }',
        { id: bookId, copies },
        admin,
      );
    const refused = await lower(1);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.field).toBe('input.copies');
    expect((await lower(2)).data?.updateBook.copies).toBe(2);
  });
});
