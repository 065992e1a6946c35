import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { ShelfwireServer } from '../../server/app.ts';
import { listenerApplicationName } from '../../server/realtime/listener.ts';
import {
  type TestDatabase,
  createTestDatabase,
  gqlOk,
  opened,
  startTestServer,
  subscribe,
  tokenFor,
  transports,
} from '../support.ts';
import { whenOpened } from '../feedWaiters.ts';

let database: TestDatabase;
let admin: string;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = await tokenFor('root', 'admin');
});
afterAll(async () => {
  await database?.drop();
});

const bookChanged =
  'subscription ($after: String) { bookChanged(after: $after) { cursor kind book { title } } }';

const createBook = (server: ShelfwireServer, title: string) =>
  gqlOk(
    server,
    'mutation ($title: String!) { createBook(input: {title: $title, author: "Two", copies: 1}) { id } }',
    { title },
    admin,
  );

const listeners = async () =>
  (
    await database.sql.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [listenerApplicationName],
    )
  ).rows[0].n as number;

describe('two instances on one database', () => {
  let one: ShelfwireServer;
  let two: ShelfwireServer;
  beforeAll(async () => {
    one = await startTestServer(database);
    two = await startTestServer(database);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  test.each(transports)(
    'a mutation on one reaches %s subscribers on the other',
    async (transport) => {
      const [onTwo] = await opened(two, () => [subscribe(two, transport, bookChanged)]);
      await createBook(one, `across ${transport}`);
      expect((await onTwo!.next()).data!.bookChanged).toMatchObject({
        kind: 'CREATED',
        book: { title: `across ${transport}` },
      });
      await onTwo!.close();
    },
  );

  test('each instance holds exactly one LISTEN connection', async () => {
    expect(await listeners()).toBe(2);
  });
});

test('on SIGTERM an instance closes WebSockets with 1001, releases LISTEN, and clients resume on another instance by cursor', async () => {
  const leaving = await startTestServer(database);
  const staying = await startTestServer(database);
  const before = await listeners();

  const closeCodes: number[] = [];
  const client = createWsClient({
    url: leaving.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    on: { closed: (event) => closeCodes.push((event as { code: number }).code) },
  });
  const received: { cursor: string; book: { title: string } }[] = [];
  let wake: () => void = () => undefined;
  const completed = new Promise<void>((resolve) => {
    const beforeCount = leaving.changes.subscriptionsOpened;
    client.subscribe<{ bookChanged: (typeof received)[number] }>(
      { query: bookChanged },
      {
        next: (value) => {
          received.push(value.data!.bookChanged);
          wake();
        },
        error: () => resolve(),
        complete: () => resolve(),
      },
    );
    void whenOpened(leaving.changes, beforeCount + 1).then(() =>
      createBook(staying, 'before the switch'),
    );
  });
  await new Promise<void>((resolve) => {
    wake = resolve;
    if (received.length) resolve();
  });
  const [overSse] = await opened(leaving, () => [subscribe(leaving, 'sse-distinct', bookChanged)]);

  await leaving.close();
  await completed;
  expect(closeCodes).toContain(1001);
  // The event stream ends without `complete`: graphql-sse clients take that as a network error
  // and reconnect (here retries are off, so it surfaces), rather than as a finished subscription.
  await expect(overSse!.completed).rejects.toThrow();
  expect(await listeners()).toBe(before - 1);

  // Changes made while the client was between instances are not lost.
  await createBook(staying, 'during the switch');
  const [resumed] = await opened(staying, () => [
    subscribe(staying, 'sse-distinct', bookChanged, { after: received[0]!.cursor }),
  ]);
  expect((await resumed!.next()).data!.bookChanged.book.title).toBe('during the switch');
  await resumed!.close();
  await client.dispose();
  await staying.close();
});
