import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ShelfwireServer } from '../../server/app.ts';
import { type TestDatabase, createTestDatabase, gqlOk, startTestServer, subscribe, tokenFor, transports, untilSubscribed } from '../support.ts';

let database: TestDatabase;
let server: ShelfwireServer;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
});
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

test.each(transports)('smoke %s', async (transport) => {
  const admin = await tokenFor('root', 'admin');
  const sub = subscribe(server, transport, 'subscription { bookChanged { kind cursor book { title available } } }');
  await untilSubscribed(server, 1);
  await gqlOk(server, 'mutation { createBook(input: {title: "T", author: "A", copies: 1}) { id } }', {}, admin);
  const value = await sub.next();
  expect(value.data?.bookChanged).toMatchObject({ kind: 'CREATED', book: { title: 'T', available: 1 } });
  await sub.close();
});
