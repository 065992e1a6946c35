import { expect, test } from 'vitest';
import { serverPerFile } from './support.ts';

const fixture = serverPerFile();

test('a browser opening /graphql gets GraphiQL, set to run subscriptions over SSE', async () => {
  const response = await fetch(fixture.server.url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const page = await response.text();
  expect(page).toContain('<title>Shelfwire</title>');
  expect(page).toMatch(/subscriptionsProtocol["']?\s*:\s*["']SSE["']/);
});

test('the health check answers 200', async () => {
  expect((await fetch(new URL('/health', fixture.server.url))).status).toBe(200);
});
