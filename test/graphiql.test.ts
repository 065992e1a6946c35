import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ShelfwireServer } from '../server/app.ts';
import { type TestDatabase, createTestDatabase, startTestServer } from './support.ts';

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

test('a browser opening /graphql gets GraphiQL, set to run subscriptions over SSE', async () => {
  const response = await fetch(server.url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const page = await response.text();
  expect(page).toContain('<title>Shelfwire</title>');
  expect(page).toMatch(/subscriptionsProtocol["']?\s*:\s*["']SSE["']/);
});

test('the health check answers 200', async () => {
  expect((await fetch(new URL('/health', server.url))).status).toBe(200);
});
