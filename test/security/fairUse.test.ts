// Fair use: caps per connection and per user, rates per user or per address, on every transport.
import { createClient as createWsClient } from 'graphql-ws';
import { beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { encodeGlobalId } from '../../server/schema/globalId.ts';
import {
  errorCode,
  gql,
  gqlOk,
  opened,
  serverPerFile,
  subscribe,
  tokenFor,
  transports,
} from '../support.ts';

const fixture = serverPerFile({
  MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
  RATE_SUBSCRIPTIONS_PER_MINUTE: '4',
  RATE_MUTATIONS_PER_MINUTE: '5',
  RATE_QUERIES_PER_MINUTE: '30',
  MAX_ACTIVE_BOOKINGS_PER_USER: '2',
});
let admin: string;
beforeAll(async () => {
  admin = await tokenFor('fair-admin', 'admin');
});

const hour = 3_600_000;
const at = (hours: number) => new Date(Date.now() + hours * hour).toISOString();

async function newBook(copies = 10): Promise<string> {
  const { rows } = await fixture.database.sql.query<{ id: string }>(
    `INSERT INTO books (title, author, copies) VALUES ('Fair', 'Use', $1) RETURNING id`,
    [copies],
  );
  return encodeGlobalId('Book', rows[0]!.id);
}

const createBooking = (token: string, bookId: string, hours = 1) =>
  gql(
    fixture.server,
    'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
    { input: { bookId, startsAt: at(hours), endsAt: at(hours + 1) } },
    token,
  );

test('one WebSocket holds at most MAX_SUBSCRIPTIONS_PER_CONNECTION operations: the next is LIMIT_EXCEEDED', async () => {
  const token = await tokenFor('one-socket');
  const client = createWsClient({
    url: fixture.server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const outcomes: Promise<unknown>[] = [];
  const stops: (() => void)[] = [];
  for (let i = 0; i < 4; i++) {
    outcomes.push(
      new Promise((resolve) =>
        stops.push(
          client.subscribe(
            { query: 'subscription { bookChanged { cursor } }' },
            { next: () => undefined, error: resolve, complete: () => resolve('complete') },
          ),
        ),
      ),
    );
  }
  const refusal = (await outcomes[3]) as { extensions?: Record<string, unknown> }[];
  expect(refusal[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
  stops.forEach((stop) => stop());
  await client.dispose();
});

describe.each(transports)('over %s', (transport) => {
  test('a user opening more subscriptions a minute than RATE_SUBSCRIPTIONS_PER_MINUTE gets RATE_LIMITED with a retry hint', async () => {
    const token = await tokenFor(`subscriber-${transport}`);
    // The allowed four are registered first, so the fifth is the one over the rate.
    const held = await opened(fixture.server, () =>
      Array.from({ length: 4 }, () =>
        subscribe(fixture.server, transport, 'subscription { bookChanged { cursor } }', {}, token),
      ),
    );
    const extra = subscribe(
      fixture.server,
      transport,
      'subscription { bookChanged { cursor } }',
      {},
      token,
    );
    const errors = await extra.refused;
    expect(errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    await Promise.all([...held, extra].map((subscription) => subscription.close()));
  });
});

test('mutations past RATE_MUTATIONS_PER_MINUTE are RATE_LIMITED; each aliased root field counts', async () => {
  const bookId = await newBook();
  const token = await tokenFor('busy-writer');
  const aliased = [1, 2, 3, 4, 5, 6]
    .map(
      (n) =>
        `b${n}: createBooking(input: { bookId: "${bookId}", startsAt: "${at(n * 2)}", endsAt: "${at(n * 2 + 1)}" }) { id }`,
    )
    .join(' ');
  const result = await gql(fixture.server, `mutation { ${aliased} }`, {}, token);
  expect(errorCode(result)).toBe('RATE_LIMITED');
  expect(result.data ?? null).toBeNull();
  const { rows } = await fixture.database.sql.query(
    `SELECT 1 FROM bookings WHERE user_id = 'busy-writer'`,
  );
  expect(rows).toHaveLength(0);
});

test('a user holds at most MAX_ACTIVE_BOOKINGS_PER_USER active bookings: the next is LIMIT_EXCEEDED', async () => {
  const bookId = await newBook();
  const token = await tokenFor('collector');
  expect((await createBooking(token, bookId, 1)).errors).toBeUndefined();
  expect((await createBooking(token, bookId, 3)).errors).toBeUndefined();
  const third = await createBooking(token, bookId, 5);
  expect(errorCode(third)).toBe('LIMIT_EXCEEDED');
  expect(third.errors?.[0]?.extensions?.limit).toBe(2);
});

test('two bookings at once cannot both take a user’s last place', async () => {
  const bookId = await newBook();
  const token = await tokenFor('racer');
  expect((await createBooking(token, bookId, 1)).errors).toBeUndefined();
  const results = await Promise.all([
    createBooking(token, bookId, 3),
    createBooking(token, bookId, 5),
  ]);
  expect(results.map((result) => errorCode(result) ?? 'ok').sort()).toEqual([
    'LIMIT_EXCEEDED',
    'ok',
  ]);
});

test('anonymous clients are counted per address', async () => {
  // Anonymous reads are not rated; anonymous subscriptions are, against the client's address.
  const held = await opened(fixture.server, () =>
    Array.from({ length: 4 }, () =>
      subscribe(fixture.server, 'sse-distinct', 'subscription { bookChanged { cursor } }'),
    ),
  );
  const extra = subscribe(fixture.server, 'ws', 'subscription { bookChanged { cursor } }');
  const errors = await extra.refused;
  expect(errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  await Promise.all([...held, extra].map((subscription) => subscription.close()));
  expect((await gqlOk(fixture.server, '{ books { nodes { id } } }')).books).toBeDefined();
});

test('an admin is rated like anyone, and one user’s exhausted rate does not touch another’s', async () => {
  const createBook = (n: number) =>
    gql(
      fixture.server,
      `mutation { createBook(input: { title: "Admin ${n}", author: "A", copies: 1 }) { id } }`,
      {},
      admin,
    );
  for (let n = 0; n < 5; n++) expect((await createBook(n)).errors).toBeUndefined();
  expect(errorCode(await createBook(5))).toBe('RATE_LIMITED');
  // busy-writer exhausted its rate above; a fresh user is unaffected.
  const fresh = await tokenFor('fresh-writer');
  expect((await createBooking(fresh, await newBook(), 1)).errors).toBeUndefined();
});

test('an ended booking moved back into the future counts against the cap again', async () => {
  const bookId = await newBook();
  const token = await tokenFor('time-traveller');
  const { rows } = await fixture.database.sql.query<{ id: string }>(
    `INSERT INTO bookings (book_id, user_id, starts_at, ends_at)
     SELECT id, 'time-traveller', now() - interval '3 hours', now() - interval '2 hours'
     FROM books ORDER BY created_at DESC LIMIT 1 RETURNING id`,
  );
  expect((await createBooking(token, bookId, 1)).errors).toBeUndefined();
  expect((await createBooking(token, bookId, 3)).errors).toBeUndefined();
  const moved = await gql(
    fixture.server,
    'mutation ($id: ID!, $input: UpdateBookingInput!) { updateBooking(id: $id, input: $input) { id } }',
    { id: encodeGlobalId('Booking', rows[0]!.id), input: { startsAt: at(10), endsAt: at(11) } },
    token,
  );
  expect(errorCode(moved)).toBe('LIMIT_EXCEEDED');
});

test('queries past RATE_QUERIES_PER_MINUTE are RATE_LIMITED for that user only', async () => {
  const token = await tokenFor('busy-reader');
  const read = (as?: string) => gql(fixture.server, '{ books(first: 1) { nodes { id } } }', {}, as);
  for (let n = 0; n < 30; n++) expect((await read(token)).errors).toBeUndefined();
  const refused = await read(token);
  expect(errorCode(refused)).toBe('RATE_LIMITED');
  expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  expect((await read(await tokenFor('another-reader'))).errors).toBeUndefined();
});
