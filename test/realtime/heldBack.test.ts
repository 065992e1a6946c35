// Which open transactions hold delivery back: this database's writers, never another database's.
import { once } from 'node:events';
import pg from 'pg';
import { expect, test } from 'vitest';
import { createTestDatabase, opened, serverPerFile, subscribe } from '../support.ts';

const fixture = serverPerFile({ DELIVERY_HELD_REPORT_MS: '200' });

/** A transaction that has taken a transaction id and stays open, as `BEGIN` + one write does. */
async function openTransaction(connectionString: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  return {
    async end() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

const addBook = (title: string) =>
  fixture.database.sql.query("INSERT INTO books (title, author, copies) VALUES ($1, 'Held', 1)", [
    title,
  ]);

test('a transaction left open in another database of the cluster holds back no delivery', async () => {
  const neighbour = await createTestDatabase();
  const stranger = await openTransaction(neighbour.url);
  try {
    const [watching] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'ws', 'subscription { bookChanged { book { title } } }'),
    ]);
    await addBook('while a stranger waits');
    // Delivered while the other database's transaction is still open.
    expect((await watching!.next()).data!.bookChanged.book.title).toBe('while a stranger waits');
    await watching!.close();
  } finally {
    await stranger.end();
    await neighbour.drop();
  }
});

test('a transaction open in this database still holds back newer changes until it ends, then all arrive in order', async () => {
  const [watching] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', 'subscription { bookChanged { book { title } } }'),
  ]);
  const writer = new pg.Client({ connectionString: fixture.database.url });
  await writer.connect();
  await writer.query('BEGIN');
  await writer.query("INSERT INTO books (title, author, copies) VALUES ('older, slow', 'Held', 1)");
  await addBook('newer, quick');
  await writer.query('COMMIT');
  await writer.end();
  const titles = [(await watching!.next()).data!.bookChanged.book.title];
  titles.push((await watching!.next()).data!.bookChanged.book.title);
  expect(titles).toEqual(['older, slow', 'newer, quick']);
  await watching!.close();
});

test('delivery held back by a writer of this database is reported with how long and its backend, and ends with it', async () => {
  const [watching] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', 'subscription { bookChanged { book { title } } }'),
  ]);
  const writer = new pg.Client({
    connectionString: fixture.database.url,
    application_name: 'slow-writer',
  });
  await writer.connect();
  const { rows } = await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  await writer.query('BEGIN');
  await writer.query("INSERT INTO books (title, author, copies) VALUES ('held, slow', 'Held', 1)");
  const reported = once(fixture.server.changes.events, 'deliveryHeld');
  await addBook('held, waiting');
  const [held] = await reported;
  expect(held.holder).toMatchObject({
    pid: rows[0]!.pid,
    applicationName: 'slow-writer',
    state: 'idle in transaction',
  });
  expect(held.heldForSeconds).toBeGreaterThanOrEqual(0.2);
  expect(fixture.server.changes.held.holdingBackend?.pid).toBe(rows[0]!.pid);

  await writer.query('COMMIT');
  await writer.end();
  const titles = [(await watching!.next()).data!.bookChanged.book.title];
  titles.push((await watching!.next()).data!.bookChanged.book.title);
  expect(titles).toEqual(['held, slow', 'held, waiting']);
  expect(fixture.server.changes.held.heldForSeconds).toBe(0);
  expect(fixture.server.changes.held.holdingBackend).toBeNull();
  await watching!.close();
});
