// Fixtures for the client tests: live query watchers, a fetch that counts, and a network to cut.
import { type AddressInfo, type Socket, createServer, connect } from 'node:net';
import type { AnyVariables, Client, DocumentInput, OperationResult } from '@urql/core';
import { pipe, subscribe } from 'wonka';

/** How long an awaited cache state may take before the test fails with what it saw instead. */
const settleTimeoutMs = 10_000;

/** A query kept open on a client: each cache change that touches it emits a new result. */
export interface Watch<Data> {
  latest(): OperationResult<Data> | undefined;
  /** Resolves with the first result (the current one included) that satisfies `predicate`. */
  until(predicate: (data: Data) => boolean): Promise<Data>;
  stop(): void;
}

export function watchQuery<Data, Variables extends AnyVariables>(
  client: Client,
  query: DocumentInput<Data, Variables>,
  variables: Variables,
): Watch<Data> {
  let latest: OperationResult<Data> | undefined;
  const waiters = new Set<() => void>();
  const { unsubscribe } = pipe(
    client.query(query, variables),
    subscribe((result: OperationResult<Data>) => {
      latest = result;
      for (const waiter of waiters) waiter();
    }),
  );
  return {
    latest: () => latest,
    until(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (latest?.error) return finish(() => reject(latest!.error));
          if (latest?.data && !latest.stale && predicate(latest.data))
            finish(() => resolve(latest!.data!));
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`cache never got there; last: ${JSON.stringify(latest?.data)}`)),
            ),
          settleTimeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    stop: unsubscribe,
  };
}

/** A fetch that counts the GraphQL requests the client sends over HTTP. */
export function countingFetch(): { fetch: typeof fetch; count(): number } {
  let count = 0;
  return {
    fetch: (input, init) => {
      count += 1;
      return fetch(input, init);
    },
    count: () => count,
  };
}

/** A TCP relay in front of a server whose network can be cut and restored, as a tab's Wi-Fi. */
export interface CuttableNetwork {
  /** The server's GraphQL URL, reached through the relay. */
  url: string;
  /** Drops every open connection and refuses new ones. */
  cut(): void;
  /**
   * Keeps every open connection open but passes nothing more through it, as a network that
   * vanished without closing anything; connections opened afterwards pass.
   */
  stall(): void;
  /** Lets new connections through again and ends the stalled ones. */
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableNetwork(serverUrl: string): Promise<CuttableNetwork> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  const stalled = new Set<Socket>();
  let isCut = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const relay = createServer((client) => {
    track(client);
    if (isCut) return client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('close', () => (upstream.destroy(), pairs.delete(pair)));
    upstream.on('close', () => (client.destroy(), pairs.delete(pair)));
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const url = new URL(serverUrl);
  url.host = `127.0.0.1:${(relay.address() as AddressInfo).port}`;
  return {
    url: url.toString(),
    cut() {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    stall() {
      for (const [client, upstream] of pairs) {
        stalled.add(client);
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      pairs.clear();
    },
    restore() {
      isCut = false;
      // A stalled connection never recovers; a real one would time out in the end.
      for (const socket of stalled) socket.destroy();
      stalled.clear();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
