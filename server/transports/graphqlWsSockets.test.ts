import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { CloseCode, createClient } from 'graphql-ws';
import { afterEach, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { serveProtocol } from './graphqlWsSockets.ts';

const schema = buildSchema('type Query { hello: String }');
const keepAliveMs = 1000;
const connectionInitWaitMs = 300;
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function start(
  options: {
    onConnect?: () => boolean;
    extraFor?: (socket: WebSocket) => { socket: WebSocket };
  } = {},
) {
  const httpServer = createServer();
  // No handleProtocols: the binding chooses graphql-ws's subprotocol itself.
  const wsServer = new WebSocketServer({ server: httpServer });
  const sockets = serveProtocol(
    wsServer,
    { schema, roots: { query: { hello: () => 'world' } }, onConnect: options.onConnect },
    {
      keepAliveMs,
      connectionInitWaitMs,
      extraFor: options.extraFor ?? ((socket) => ({ socket })),
      outgoing: (message) => message.replace('world', 'rewritten world'),
    },
  );
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await sockets.dispose();
    httpServer.close();
  };
  stops.push(dispose);
  return { url, dispose, httpServer };
}

function rawSocket(url: string, options: { autoPong?: boolean } = {}) {
  const socket = new WebSocket(url, 'graphql-transport-ws', options);
  stops.push(async () => socket.terminate());
  return socket;
}

/** Sends connection_init and waits for the ack. */
async function initialise(socket: WebSocket) {
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init' }));
  const [ack] = await once(socket, 'message');
  expect(JSON.parse(String(ack))).toEqual({ type: 'connection_ack' });
}

test('operations run through graphql-ws, and every message passes `outgoing` on its way', async () => {
  const { url } = await start();
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
  stops.push(async () => client.dispose());
  const result = await new Promise((resolve, reject) => {
    client.subscribe({ query: '{ hello }' }, { next: resolve, error: reject, complete: () => {} });
  });
  expect(result).toEqual({ data: { hello: 'rewritten world' } });
});

test('a socket that answers pings stays open, pinged once per interval', async () => {
  const { url } = await start();
  const socket = rawSocket(url);
  await initialise(socket);
  await once(socket, 'ping');
  for (let round = 0; round < 2; round++) {
    const since = performance.now();
    await once(socket, 'ping');
    // Timers never fire early: a round is one interval, less a millisecond a tick may lose.
    expect(performance.now() - since).toBeGreaterThanOrEqual(keepAliveMs * (15 / 16));
  }
  expect(socket.readyState).toBe(WebSocket.OPEN);
});

test('a socket that leaves a ping unanswered is cut, an interval after the ping', async () => {
  const { url } = await start();
  const socket = rawSocket(url, { autoPong: false });
  await initialise(socket);
  await once(socket, 'ping');
  const pingedAt = performance.now();
  const [code] = await once(socket, 'close');
  expect(performance.now() - pingedAt).toBeGreaterThanOrEqual(keepAliveMs * (15 / 16));
  // Cut, not closed: no close frame, as for a peer that is gone.
  expect(code).toBe(1006);
});

test('a socket that sends no connection_init in time is closed with 4408, one that does is not', async () => {
  const { url } = await start();
  const initialised = rawSocket(url);
  await initialise(initialised);
  // Opened later, so its deadline comes after the first socket's.
  const openedAt = performance.now();
  const silent = rawSocket(url);
  const [code, reason] = await once(silent, 'close');
  expect(performance.now() - openedAt).toBeGreaterThanOrEqual(connectionInitWaitMs);
  expect(code).toBe(CloseCode.ConnectionInitialisationTimeout);
  expect(String(reason)).toBe('Connection initialisation timeout');
  expect(initialised.readyState).toBe(WebSocket.OPEN);
});

test('a message the protocol server fails on closes the socket with 4500 Internal server error', async () => {
  const { url } = await start({
    onConnect: () => {
      throw new Error('the server broke');
    },
  });
  const socket = rawSocket(url);
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init' }));
  const [code, reason] = await once(socket, 'close');
  expect(code).toBe(CloseCode.InternalServerError);
  // The client is not told what broke.
  expect(String(reason)).toBe('Internal server error');
});

test('a socket that cannot be set up is closed with 4500, not thrown at the HTTP server', async () => {
  const { url } = await start({
    extraFor: () => {
      throw new Error('no address');
    },
  });
  const [code] = await once(rawSocket(url), 'close');
  expect(code).toBe(CloseCode.InternalServerError);
});

test("an error of the HTTP server reaches the WebSocket server's log, not the process", async () => {
  const { httpServer } = await start();
  expect(() => httpServer.emit('error', new Error('accept failed: EMFILE'))).not.toThrow();
});

test('dispose closes every socket with 1001 Going away', async () => {
  const { url, dispose } = await start();
  const socket = rawSocket(url);
  await once(socket, 'open');
  const closed = once(socket, 'close');
  await dispose();
  const [code, reason] = await closed;
  expect(code).toBe(1001);
  expect(String(reason)).toBe('Going away');
});
