// Filters at the source: one table of cases, each run against the live fan-out and against a
// replay from a cursor (the SQL), expecting the same changes from both.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  errorCode,
  gqlOk,
  opened,
  serverPerFile,
  subscribe,
  tokenFor,
  transports,
  until,
  type Subscription,
} from '../support.ts';

const fixture = serverPerFile();
let admin: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
  bob = await tokenFor('bob');
});

const bookChanged = `subscription ($filter: BookChangeFilter, $after: String) {
  bookChanged(filter: $filter, after: $after) { cursor kind bookId } }`;
const bookingChanged = `subscription ($filter: BookingChangeFilter, $after: String) {
  bookingChanged(filter: $filter, after: $after) { cursor events bookingId } }`;

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

async function createBook(title: string, author: string): Promise<string> {
  const { createBook } = await gqlOk(
    fixture.server,
    'mutation ($input: CreateBookInput!) { createBook(input: $input) { id } }',
    { input: { title, author, copies: 3 } },
    admin,
  );
  return createBook.id;
}

const updateBook = (id: string, input: Record<string, unknown>) =>
  gqlOk(
    fixture.server,
    'mutation ($id: ID!, $input: UpdateBookInput!) { updateBook(id: $id, input: $input) { id } }',
    { id, input },
    admin,
  );

async function book(bookId: string, token: string): Promise<string> {
  const { createBooking } = await gqlOk(
    fixture.server,
    'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
    { input: { bookId, startsAt: hoursFromNow(24), endsAt: hoursFromNow(26) } },
    token,
  );
  return createBooking.id;
}

const act = (action: string, id: string, token: string) =>
  gqlOk(fixture.server, `mutation ($id: ID!) { ${action}(id: $id) { id } }`, { id }, token);

const upperCaseUuid = (globalId: string) => {
  const [typename, uuid] = Buffer.from(globalId, 'base64url').toString().split(':');
  return Buffer.from(`${typename}:${uuid!.toUpperCase()}`).toString('base64url');
};

/** A case: a viewer's filter and the labels of the changes it must receive, in order. */
interface Case {
  token?: () => string;
  filter: (ids: Record<string, string>) => Record<string, unknown>;
  expected: string[];
}

/**
 * Runs every case live (subscribed before `changes`) and replayed (from a cursor taken before
 * them, subscribed after), and checks both against the expected labels. Every case's last
 * expected change is the script's last change: once it arrives, nothing unwanted can follow.
 */
async function checkCases(options: {
  query: string;
  field: 'bookChanged' | 'bookingChanged';
  cases: Case[];
  ids: Record<string, string>;
  cursor: string;
  changes: () => Promise<void>;
  label: (change: Record<string, any>) => string;
}) {
  const { query, field, cases, ids, cursor } = options;
  const open = (after?: string) =>
    opened(fixture.server, () =>
      cases.map((one) =>
        subscribe(fixture.server, 'ws', query, { filter: one.filter(ids), after }, one.token?.()),
      ),
    );
  const live = await open();
  await options.changes();
  const replayed = await open(cursor);
  const receive = async (subscription: Subscription<Record<string, any>>, count: number) => {
    const labels = [];
    for (let index = 0; index < count; index += 1) {
      labels.push(options.label((await subscription.next()).data![field]));
    }
    await subscription.close();
    return labels;
  };
  for (const [index, one] of cases.entries()) {
    const count = one.expected.length;
    expect({ case: index, live: await receive(live[index]!, count) }).toEqual({
      case: index,
      live: one.expected,
    });
    expect({ case: index, replay: await receive(replayed[index]!, count) }).toEqual({
      case: index,
      replay: one.expected,
    });
  }
}

/** The cursor of a change made now, from a probe book everyone's filter leaves out. */
async function cursorNow(): Promise<string> {
  const [probe] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged, {}, undefined),
  ]);
  await createBook('Probe', 'Nobody');
  const { cursor } = (await probe!.next()).data!.bookChanged;
  await probe!.close();
  return cursor;
}

test('book filters by ids, search, authors and kinds: live and replay agree', async () => {
  const ids = {
    dune: await createBook('Dune', 'Frank Herbert'),
    emma: await createBook('Emma', 'Jane Austen'),
    persuasion: await createBook('Persuasion', 'Jane Austen'),
  };
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  await checkCases({
    query: bookChanged,
    field: 'bookChanged',
    ids,
    cursor: await cursorNow(),
    label: (change) => `${names[change.bookId]} ${change.kind}`,
    changes: async () => {
      await updateBook(ids.dune, { title: 'Dune Messiah' });
      await updateBook(ids.persuasion, { copies: 5 });
      await updateBook(ids.emma, { title: 'Emma (1815)' });
      await gqlOk(
        fixture.server,
        'mutation ($id: ID!) { deleteBook(id: $id) }',
        { id: ids.emma },
        admin,
      );
    },
    cases: [
      {
        filter: () => ({ search: 'AUSTEN' }),
        expected: ['persuasion UPDATED', 'emma UPDATED', 'emma DELETED'],
      },
      { filter: () => ({ search: 'emma (' }), expected: ['emma UPDATED', 'emma DELETED'] },
      {
        filter: () => ({ authors: ['Jane Austen'], kinds: ['DELETED'] }),
        expected: ['emma DELETED'],
      },
      {
        filter: (ids) => ({ ids: [ids.emma, ids.dune] }),
        expected: ['dune UPDATED', 'emma UPDATED', 'emma DELETED'],
      },
      {
        filter: () => ({
          kinds: ['UPDATED', 'DELETED'],
          authors: ['Frank Herbert', 'Jane Austen'],
        }),
        expected: ['dune UPDATED', 'persuasion UPDATED', 'emma UPDATED', 'emma DELETED'],
      },
      {
        filter: (ids) => ({ search: 'jane', ids: [ids.emma] }),
        expected: ['emma UPDATED', 'emma DELETED'],
      },
      // The same ID with its uuid in capitals: Postgres reads it as the same uuid, so must the
      // fan-out.
      {
        filter: (ids) => ({ ids: [upperCaseUuid(ids.emma!)] }),
        expected: ['emma UPDATED', 'emma DELETED'],
      },
    ],
  });
});

test('booking filters by books, statuses and events: live and replay agree, never past the viewer', async () => {
  const ids: Record<string, string> = {
    dune: await createBook('Children of Dune', 'Frank Herbert'),
    persuasion: await createBook('Northanger Abbey', 'Jane Austen'),
  };
  const names: Record<string, string> = {};
  await checkCases({
    query: bookingChanged,
    field: 'bookingChanged',
    ids,
    cursor: await cursorNow(),
    label: (change) => `${names[change.bookingId]} ${change.events.join('+')}`,
    changes: async () => {
      const mine = await book(ids.persuasion!, alice);
      const theirs = await book(ids.dune!, bob);
      Object.assign(names, { [mine]: 'alice', [theirs]: 'bob' });
      await act('confirmBooking', theirs, admin);
      await act('confirmBooking', mine, admin);
      await act('payBooking', mine, alice);
      await act('cancelBooking', mine, alice);
    },
    cases: [
      {
        token: () => admin,
        filter: () => ({ events: ['CANCELLED'] }),
        expected: ['alice CANCELLED+REFUNDED'],
      },
      {
        token: () => admin,
        filter: () => ({ statuses: ['CONFIRMED', 'CANCELLED'] }),
        expected: ['bob CONFIRMED', 'alice CONFIRMED', 'alice PAID', 'alice CANCELLED+REFUNDED'],
      },
      {
        token: () => admin,
        filter: (ids) => ({ bookIds: [ids.persuasion] }),
        expected: ['alice REQUESTED', 'alice CONFIRMED', 'alice PAID', 'alice CANCELLED+REFUNDED'],
      },
      {
        token: () => admin,
        filter: () => ({ events: ['REFUNDED', 'REQUESTED'] }),
        expected: ['alice REQUESTED', 'bob REQUESTED', 'alice CANCELLED+REFUNDED'],
      },
      // Asking for both books gives alice her own bookings only.
      {
        token: () => alice,
        filter: (ids) => ({ bookIds: [ids.dune, ids.persuasion] }),
        expected: ['alice REQUESTED', 'alice CONFIRMED', 'alice PAID', 'alice CANCELLED+REFUNDED'],
      },
      {
        token: () => alice,
        filter: () => ({ events: ['REQUESTED', 'CONFIRMED', 'PAID', 'CANCELLED'] }),
        expected: ['alice REQUESTED', 'alice CONFIRMED', 'alice PAID', 'alice CANCELLED+REFUNDED'],
      },
    ],
  });
});

test('a change no subscriber wants costs no row read and reaches nobody', async () => {
  const id = await createBook('Mansfield Park', 'Jane Austen');
  await until(() => fixture.server.changes.subscriberCount === 0, 'earlier subscriptions ended');
  const [none] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged, { filter: { authors: ['Nobody at all'] } }),
  ]);
  const rowReads: number[] = [];
  const count = (read: { changes: number }) => rowReads.push(read.changes);
  fixture.server.changes.events.on('rowsRead', count);
  const published = new Promise((resolve) =>
    fixture.server.changes.events.once('published', resolve),
  );
  await updateBook(id, { copies: 4 });
  await published;
  fixture.server.changes.events.off('rowsRead', count);
  expect(rowReads).toEqual([]);
  await none!.close();
});

describe.each(transports)('bad filters over %s', (transport) => {
  const refusal = async (query: string, filter: unknown, token?: string) => {
    const subscription = subscribe(fixture.server, transport, query, { filter }, token);
    const errors = await subscription.refused;
    await subscription.close();
    return { errors };
  };

  test.each([
    ['an empty list', { ids: [] }],
    ['over 100 ids', { ids: Array.from({ length: 101 }, (_, index) => `id${index}`) }],
    ['a search of 201 characters', { search: 'x'.repeat(201) }],
    ['a blank search', { search: '   ' }],
    ['a search with a line break', { search: 'Jane\nAusten' }],
    ['an author with a NUL byte', { authors: ['Jane\u0000Austen'] }],
    [
      'an id that is not a book',
      { ids: [Buffer.from('Booking:0b7d4e5a-8d4e-4c55-9d3c-2a1f7a9b0c11').toString('base64url')] },
    ],
  ])('%s is refused with BAD_USER_INPUT', async (_name, filter) => {
    expect(errorCode(await refusal(bookChanged, filter))).toBe('BAD_USER_INPUT');
  });

  test('a booking filter without a token is UNAUTHENTICATED', async () => {
    expect(errorCode(await refusal(bookingChanged, { events: ['PAID'] }))).toBe('UNAUTHENTICATED');
  });
});
