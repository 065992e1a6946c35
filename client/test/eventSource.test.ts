// A plain browser EventSource on a public subscription resumes across a server restart: each
// event carries its change's cursor as its id, and the browser's own reconnect sends the last
// one back as Last-Event-ID.
import getPort from 'get-port';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ShelfwireServer, startServer } from '../../server/app.ts';
import { whenOpened } from '../../test/feedWaiters.ts';
import {
  type TestDatabase,
  createTestDatabase,
  gqlOk,
  testSecret,
  tokenFor,
} from '../../test/support.ts';
import { launchChromium, shoot } from './browserSupport.ts';

let database: TestDatabase;
let browser: Browser;
let port: number;

beforeAll(async () => {
  database = await createTestDatabase();
  port = await getPort();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await database?.drop();
});

const serve = () =>
  startServer({ databaseUrl: database.url, jwtSecret: testSecret, port, host: '127.0.0.1' });

interface Received {
  id: string;
  kind: string;
  title: string;
}

/** What the page's EventSource has received, once it holds `count` events. */
async function receivedOnce(page: Page, count: number): Promise<Received[]> {
  await page.waitForFunction((count) => (window as any).received.length >= count, count, {
    timeout: 20_000,
  });
  return page.evaluate(() => (window as any).received);
}

test('an EventSource resumes after a restart with every change made while the server was down, once', async () => {
  let server: ShelfwireServer = await serve();
  const admin = await tokenFor('root', 'admin');
  const page = await (await browser.newContext()).newPage();
  // A blank page of the server's origin, made by the browser: the server's own answers carry a
  // CSP that allows no connections.
  const blank = `http://127.0.0.1:${port}/blank`;
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<p>' }));
  await page.goto(blank);
  const query = 'subscription { bookChanged { cursor kind book { title } } }';
  await page.evaluate((query) => {
    const state = { received: [] as Received[], opened: 0 };
    Object.assign(window, state);
    const source = new EventSource(`/graphql?query=${encodeURIComponent(query)}`);
    source.addEventListener('open', () => (window as any).opened++);
    source.addEventListener('next', (event) => {
      const change = JSON.parse(event.data).data.bookChanged;
      (window as any).received.push({
        id: event.lastEventId,
        kind: change.kind,
        title: change.book?.title,
      });
      // The event's id is the change's cursor.
      if (event.lastEventId !== change.cursor) throw new Error('id is not the cursor');
    });
  }, query);
  await whenOpened(server.changes, 1);

  const create = (title: string) =>
    gqlOk(
      server,
      'mutation ($title: String!) { createBook(input: { title: $title, author: "Octavia E. Butler", copies: 1 }) { id } }',
      { title },
      admin,
    );
  await create('Kindred');
  await receivedOnce(page, 1);

  await server.close();
  // Written while no instance runs: only the log knows of them.
  await database.sql.query(
    `INSERT INTO books (title, author, copies) VALUES ('Dawn', 'Octavia E. Butler', 1)`,
  );
  await database.sql.query(
    `INSERT INTO books (title, author, copies) VALUES ('Fledgling', 'Octavia E. Butler', 1)`,
  );
  server = await serve();
  // The browser reconnects on its own and resumes from the last id it saw.
  await receivedOnce(page, 3);
  await create('Wild Seed');
  const received = await receivedOnce(page, 4);
  await shoot(page, 'event-source-resumed');

  expect(received.map((change) => change.title)).toEqual([
    'Kindred',
    'Dawn',
    'Fledgling',
    'Wild Seed',
  ]);
  expect(new Set(received.map((change) => change.id)).size).toBe(4);
  expect(await page.evaluate(() => (window as any).opened)).toBe(2);
  await server.close();
});

test('a Last-Event-ID that is not a cursor is refused in the stream, with an id that clears it', async () => {
  const server = await serve();
  const [refused] = await events(
    `${server.url}?query=${encodeURIComponent('subscription { bookChanged { cursor } }')}`,
    { 'last-event-id': 'not-a-cursor' },
    1,
  );
  expect(refused!.id).toBe('');
  expect(refused!.data.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  await server.close();
});

/** The first `count` events of an event stream at `url`, as {id, data} (a plain HTTP client). */
async function events(url: string, headers: Record<string, string>, count: number) {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const parsed = () =>
    text
      .split('\n\n')
      .filter((event) => event.includes('event: next'))
      .map((event) => ({
        id: /^id: (.*)$/m.exec(event)?.[1],
        data: JSON.parse(/^data: (.*)$/m.exec(event)![1]!),
      }));
  while (parsed().length < count) text += (await reader.read()).value ?? '';
  await reader.cancel();
  return parsed().slice(0, count);
}

test('Last-Event-ID wins over an `after` in the URL, which the browser sends again on every reconnect', async () => {
  const server = await serve();
  const stream = (query: string) => `${server.url}?query=${encodeURIComponent(query)}`;
  const titles = ['Imago', 'Adulthood Rites', 'Mind of My Mind'];
  const first = events(stream('subscription { bookChanged { cursor book { title } } }'), {}, 3);
  await whenOpened(server.changes, server.changes.subscriptionsOpened + 1);
  for (const title of titles) {
    await database.sql.query(
      `INSERT INTO books (title, author, copies) VALUES ($1, 'Octavia E. Butler', 1)`,
      [title],
    );
  }
  const [a, b] = await first;
  const resumed = await events(
    stream(`subscription { bookChanged(after: "${a!.id}") { book { title } } }`),
    { 'last-event-id': b!.id! },
    1,
  );
  expect(resumed[0]!.data.data.bookChanged.book.title).toBe('Mind of My Mind');

  // A batch's event carries the batch's cursor, so a batched stream resumes the same way.
  const batched = await events(
    stream(`subscription { bookChanges(after: "${a!.id}", maxWaitMs: 0) { cursor } }`),
    {},
    1,
  );
  expect(batched[0]!.id).toBe(batched[0]!.data.data.bookChanges.cursor);
  await server.close();
});
