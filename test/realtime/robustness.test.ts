import { createClient as createWsClient } from 'graphql-ws';
import { expect, test } from 'vitest';
import WebSocket from 'ws';
import { opened, serverPerFile, subscribe, tokenFor, transports, until } from '../support.ts';
import { whenOpened } from '../feedWaiters.ts';

// Allows the 30-day token below: past setTimeout's 24.8-day limit, beyond the 7-day default.
const fixture = serverPerFile({ JWT_MAX_LIFETIME_SECONDS: String(31 * 24 * 3600) });

const bookChanged =
  'subscription ($after: String) { bookChanged(after: $after) { cursor book { title } } }';
const insertBook = (title: string) =>
  fixture.database.sql.query("INSERT INTO books (title, author, copies) VALUES ($1, 'Robust', 1)", [
    title,
  ]);
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

test('a query that does not parse fails alone; other subscriptions on the same WebSocket carry on', async () => {
  const client = createWsClient({
    url: fixture.server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const failures: unknown[] = [];
  const titles: string[] = [];
  let gotOne!: () => void;
  const delivered = new Promise<void>((resolve) => (gotOne = resolve));
  const before = fixture.server.changes.subscriptionsOpened;
  client.subscribe(
    { query: bookChanged },
    {
      next: (value: any) => {
        titles.push(value.data.bookChanged.book.title);
        gotOne();
      },
      error: (error) => failures.push(error),
      complete: () => undefined,
    },
  );
  const broken = new Promise((resolve) =>
    client.subscribe(
      { query: 'subscription { bookChanged {' },
      { next: () => undefined, error: resolve, complete: () => undefined },
    ),
  );
  expect(String(JSON.stringify(await broken))).toContain('Syntax Error');
  await whenOpened(fixture.server.changes, before + 1);
  await insertBook('still flowing');
  await delivered;
  expect(titles).toEqual(['still flowing']);
  expect(failures).toEqual([]);
  await client.dispose();
});

test('a token valid for 30 days is not mistaken for an expired one', async () => {
  const longLived = await tokenFor('patient', 'user', '30d');
  const [subscription] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged, {}, longLived),
  ]);
  await insertBook('long token');
  expect((await subscription!.next()).data?.bookChanged.book.title).toBe('long token');
  await subscription!.close();
});

test.each(transports)(
  'over %s a subscription ends with UNAUTHENTICATED when its token expires',
  async (transport) => {
    const shortLived = await tokenFor('hasty', 'user', '2s');
    const subscription = subscribe(
      fixture.server,
      transport,
      'subscription { bookingChanged { cursor } }',
      {},
      shortLived,
    );
    const first = await subscription.next().catch((error: unknown) => ({ closed: error }));
    // WebSockets are closed by the server at expiry (4403); event streams get the error as a result.
    if ('closed' in first) expect((first.closed as { code?: number }).code).toBe(4403);
    else expect(first.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await subscription.close();
  },
);

test.each(transports)(
  'over %s a client that leaves right after subscribing leaves nothing behind',
  async (transport) => {
    const leaving = Array.from({ length: 10 }, () =>
      subscribe(fixture.server, transport, bookChanged),
    );
    await Promise.all(leaving.map((subscription) => subscription.close()));
    await until(
      () => fixture.server.changes.subscriberCount === 0,
      'every subscription is released',
    );
  },
);

/** A graphql-ws client by hand: it can be cut without sending `complete` first. */
async function rawSubscriber(variables: { after?: string }) {
  const socket = new WebSocket(fixture.server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await new Promise((resolve) => socket.once('message', resolve));
  socket.send(
    JSON.stringify({ id: '1', type: 'subscribe', payload: { query: bookChanged, variables } }),
  );
  return socket;
}

test('a WebSocket cut without completing ends its subscription, live or still resuming', async () => {
  const [first] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged),
  ]);
  await insertBook('Cut 1');
  const after = ((await first.next()).data as { bookChanged: { cursor: string } }).bookChanged
    .cursor;
  await first.close();
  await until(() => fixture.server.changes.subscriberCount === 0, 'the first one is released');

  const [live] = await opened(fixture.server, () => [rawSubscriber({})]);
  (await live).terminate();
  await until(() => fixture.server.changes.subscriberCount === 0, 'the live one is released');

  // Cut at once, while the server checks the cursor and replays from it.
  const resuming = await rawSubscriber({ after });
  resuming.terminate();
  await until(() => fixture.server.changes.subscriberCount === 0, 'the resuming one is released');
  expect(fixture.server.changes.subscriberCount).toBe(0);
});

test('a cursor ahead of every change, or out of range, is BAD_USER_INPUT', async () => {
  for (const after of [
    cursorOf('99999999999999999.1'),
    cursorOf('18446744073709551616.1'),
    cursorOf('1.9223372036854775808'),
  ]) {
    const subscription = subscribe(fixture.server, 'ws', bookChanged, { after });
    expect((await subscription.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await subscription.close();
  }
});
