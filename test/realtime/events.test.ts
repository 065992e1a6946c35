// What happened, not only that something changed: booking events, changed fields and entity
// versions, live over every transport and on replay, and one entity's changes in version order
// even when transaction ids say otherwise.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gqlOk, opened, serverPerFile, subscribe, tokenFor, transports } from '../support.ts';

const fixture = serverPerFile();
let admin: string;
let alice: string;

beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
});

const bookingChanged = `subscription ($after: String) { bookingChanged(after: $after) {
  cursor kind events changedFields version bookingId booking { status paymentStatus } } }`;
const bookChanged = `subscription ($after: String) { bookChanged(after: $after) {
  cursor kind changedFields version bookId book { title copies available } } }`;

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

async function createBook(title: string, copies = 2): Promise<string> {
  const { createBook } = await gqlOk(
    fixture.server,
    'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
    { input: { title, author: 'Ursula K. Le Guin', copies } },
    admin,
  );
  return createBook.id;
}

async function book(bookId: string, startsIn = 0): Promise<string> {
  const { createBooking } = await gqlOk(
    fixture.server,
    'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
    { input: { bookId, startsAt: hoursFromNow(startsIn), endsAt: hoursFromNow(startsIn + 2) } },
    alice,
  );
  return createBooking.id;
}

const act = (action: string, id: string, token: string) =>
  gqlOk(fixture.server, `mutation ($id: ID!) { ${action}(id: $id) { id } }`, { id }, token);

/** The cursor of a change made now (a book's): booking replays after it start with what follows. */
async function cursorNow(): Promise<string> {
  const [probe] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged, {}, undefined),
  ]);
  await createBook('Cursor probe');
  const { cursor } = (await probe!.next()).data!.bookChanged;
  await probe!.close();
  return cursor;
}

/** Every booking life event, through the API; returns the booking's id. */
async function bookingLife(): Promise<string> {
  const bookId = await createBook('The Dispossessed', 1);
  const id = await book(bookId);
  await act('confirmBooking', id, admin);
  await act('payBooking', id, alice);
  await gqlOk(
    fixture.server,
    'mutation ($id: ID!, $input: UpdateBookingInput!) { updateBooking(id: $id, input: $input) { id } }',
    { id, input: { startsAt: hoursFromNow(1), endsAt: hoursFromNow(3) } },
    alice,
  );
  await act('cancelBooking', id, alice);
  return id;
}

const lifeEvents = [
  { kind: 'CREATED', events: ['REQUESTED'], version: 1 },
  { kind: 'UPDATED', events: ['CONFIRMED'], version: 2, changed: ['status', 'updatedAt'] },
  { kind: 'UPDATED', events: ['PAID'], version: 3, changed: ['paymentStatus', 'updatedAt'] },
  { kind: 'UPDATED', events: ['RESCHEDULED'], version: 4, changed: ['startsAt', 'endsAt'] },
  {
    kind: 'UPDATED',
    events: ['CANCELLED', 'REFUNDED'],
    version: 5,
    changed: ['status', 'paymentStatus', 'updatedAt'],
  },
];

function expectLife(received: Record<string, any>[]) {
  expect(received.map(({ kind, events, version }) => ({ kind, events, version }))).toEqual(
    lifeEvents.map(({ kind, events, version }) => ({ kind, events, version })),
  );
  lifeEvents.forEach(({ changed }, index) => {
    if (changed) expect(received[index]!.changedFields).toEqual(expect.arrayContaining(changed));
  });
}

describe.each(transports)('over %s', (transport) => {
  test('a booking says what happened: requested, confirmed, paid, rescheduled, cancelled and refunded', async () => {
    const [mine] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookingChanged, {}, alice),
    ]);
    const id = await bookingLife();
    const received = [];
    while (received.length < lifeEvents.length) {
      received.push((await mine!.next()).data!.bookingChanged);
    }
    expectLife(received);
    expect(received.every((change) => change.bookingId === id)).toBe(true);
    // The booking itself resolves as it is at delivery, whatever the event.
    expect(received[0].booking).toBeTruthy();
    await mine!.close();
  });
});

test.each(transports)(
  'over %s a deleted booking is DELETED, with no changed fields',
  async (transport) => {
    const bookId = await createBook(`Lavinia (${transport})`);
    const id = await book(bookId, 24);
    const [all] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookingChanged, {}, admin),
    ]);
    const rowId = Buffer.from(id, 'base64url').toString().split(':')[1];
    await fixture.database.sql.query('DELETE FROM bookings WHERE id = $1', [rowId]);
    const deleted = (await all!.next()).data!.bookingChanged;
    expect(deleted).toMatchObject({ kind: 'DELETED', events: ['DELETED'], changedFields: [] });
    expect(deleted.bookingId).toBe(id);
    expect(deleted.booking).toBeNull();
    await all!.close();
  },
);

test('a book names the fields that changed, availability included when a booking takes a copy', async () => {
  const [all] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged, {}, undefined),
  ]);
  const id = await createBook('Always Coming Home', 3);
  await gqlOk(
    fixture.server,
    'mutation ($id: ID!) { updateBook(id: $id, input: { title: "Always Coming Home!" }) { id } }',
    { id },
    admin,
  );
  await book(id, 48); // in two days: takes no copy now, so the book does not change
  const booking = await book(id); // from now: takes one
  await act('cancelBooking', booking, alice); // gives it back

  const created = (await all!.next()).data!.bookChanged;
  expect(created).toMatchObject({ kind: 'CREATED', version: 1 });
  expect(created.changedFields).toEqual(expect.arrayContaining(['title', 'copies', 'available']));
  const renamed = (await all!.next()).data!.bookChanged;
  expect(renamed).toMatchObject({ kind: 'UPDATED', version: 2 });
  expect(renamed.changedFields).toEqual(['title', 'updatedAt']);
  const taken = (await all!.next()).data!.bookChanged;
  expect(taken).toMatchObject({ kind: 'UPDATED', version: 3, changedFields: ['available'] });
  const givenBack = (await all!.next()).data!.bookChanged;
  expect(givenBack).toMatchObject({ kind: 'UPDATED', version: 4, changedFields: ['available'] });
  expect(givenBack.book.available).toBe(3);
  await all!.close();
});

describe.each(transports)('replayed over %s', (transport) => {
  test('a replay returns each change with its own events, in the order they happened', async () => {
    const after = await cursorNow();
    await bookingLife();
    const [replay] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookingChanged, { after }, alice),
    ]);
    const received = [];
    while (received.length < lifeEvents.length) {
      received.push((await replay!.next()).data!.bookingChanged);
    }
    expectLife(received);
    // The booking as it is now, for every change of its history.
    expect(received.map((change) => change.booking.status)).toEqual(
      lifeEvents.map(() => 'CANCELLED'),
    );
    await replay!.close();
  });
});

const transactionId = async (client: pg.Client) =>
  BigInt(
    (await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]!.xid,
  );

describe('one entity, two sessions with crossed transaction ids', () => {
  let first: pg.Client;
  let second: pg.Client;
  beforeAll(async () => {
    first = new pg.Client(fixture.database.url);
    second = new pg.Client(fixture.database.url);
    await Promise.all([first.connect(), second.connect()]);
  });
  afterAll(async () => {
    await Promise.all([first.end(), second.end()]);
  });

  test('a cancel written right after a confirm arrives after it, live and on replay', async () => {
    const bookId = await createBook('The Lathe of Heaven');
    const id = await book(bookId, 24);
    const rowId = Buffer.from(id, 'base64url').toString().split(':')[1]!;
    const after = await cursorNow();
    const [live] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', bookingChanged, {}, alice),
    ]);

    // The first session takes its transaction id by writing elsewhere first...
    await first.query('BEGIN');
    await first.query(
      "INSERT INTO books (title, author, copies) VALUES ('Elsewhere', 'Someone', 1)",
    );
    // ...then the second, with the larger id, confirms and commits...
    await second.query('BEGIN');
    await second.query("UPDATE bookings SET status = 'CONFIRMED' WHERE id = $1", [rowId]);
    const secondXid = await transactionId(second);
    await second.query('COMMIT');
    // ...and only then the first cancels: it holds the smaller transaction id.
    await first.query("UPDATE bookings SET status = 'CANCELLED' WHERE id = $1", [rowId]);
    const firstXid = await transactionId(first);
    await first.query('COMMIT');
    // The premise: the cancel's transaction holds the smaller id.
    expect(firstXid).toBeLessThan(secondXid);

    const order = async (subscription: typeof live) => [
      (await subscription!.next()).data!.bookingChanged,
      (await subscription!.next()).data!.bookingChanged,
    ];
    const liveOrder = await order(live);
    expect(liveOrder.map((change) => change.events)).toEqual([['CONFIRMED'], ['CANCELLED']]);
    expect(liveOrder.map((change) => change.version)).toEqual([2, 3]);
    await live!.close();

    const [replay] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', bookingChanged, { after }, alice),
    ]);
    const replayOrder = await order(replay);
    expect(replayOrder.map((change) => change.events)).toEqual([['CONFIRMED'], ['CANCELLED']]);
    expect(replayOrder.map((change) => change.cursor)).toEqual(
      liveOrder.map((change) => change.cursor),
    );
    await replay!.close();
  });
});
