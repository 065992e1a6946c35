import type pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, createTestDatabase } from '../../test/support.ts';
import { createPool, endPool } from './pool.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** A client's socket, which pg keeps on its connection. */
const socketOf = (client: pg.PoolClient) =>
  (client as unknown as { connection: { stream: { destroyed: boolean } } }).connection.stream;

test('endPool returns once every connection has closed', async () => {
  const pool = createPool(database.url);
  const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
  for (const client of clients) client.release();
  await endPool(pool);
  expect(clients.map((client) => socketOf(client).destroyed)).toEqual([true, true, true]);
});

test('a connection in use when the pool ends is waited for until given back and closed', async () => {
  const pool = createPool(database.url);
  const busy = await pool.connect();
  let ended = false;
  const ending = endPool(pool).then(() => (ended = true));
  await busy.query('SELECT 1');
  expect(ended).toBe(false);
  busy.release();
  await ending;
  expect(socketOf(busy).destroyed).toBe(true);
});
