import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { fetchNotingServerClock, onLocalClock } from './serverClock.ts';

/** A server whose clock is `aheadMs` ahead of this one, as its Date header says. */
async function serverAhead(aheadMs: number) {
  const server = createServer((_request, response) => {
    response.setHeader('date', new Date(Date.now() + aheadMs).toUTCString());
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

test("a change's time on a server an hour ahead is read on this browser's clock", async () => {
  const server = await serverAhead(3_600_000);
  await fetchNotingServerClock(server.url);
  const writtenNow = new Date(Date.now() + 3_600_000).toISOString();
  expect(Math.abs(onLocalClock(writtenNow).getTime() - Date.now())).toBeLessThan(2000);
  server.close();
});

test('a difference within the Date header’s whole seconds is left alone', async () => {
  const server = await serverAhead(0);
  await fetchNotingServerClock(server.url);
  const at = new Date().toISOString();
  expect(onLocalClock(at).toISOString()).toBe(at);
  server.close();
});
