import { Client, type Operation, fetchExchange, subscriptionExchange } from '@urql/core';
import { activeQueries } from './activeQueries.ts';
import { liveCacheExchange } from './cache.ts';
import { ConnectionStatus } from './connectionState.ts';
import { resumingSubscriptions } from './resumingSubscriptions.ts';
import { sseTransport } from './transports/sse.ts';
import type { SubscriptionTransport, TransportName } from './transports/transport.ts';
import { wsTransport } from './transports/ws.ts';

export interface ShelfwireClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** A JWT sent as `Authorization: Bearer` (in connectionParams over WebSocket). */
  token?: string;
  /** How subscriptions travel: graphql-ws (default) or graphql-sse. */
  transport?: TransportName;
  /** The fetch used for queries and mutations; the global one by default. */
  fetch?: typeof fetch;
  /**
   * graphql-sse only: milliseconds without an event or keep-alive after which a stream counts as
   * lost and resumes (30 s by default; the server sends a keep-alive every 12 s).
   */
  sseReadTimeoutMs?: number;
  /** Milliseconds to wait before reconnection attempt `attempt`. */
  retryDelay?: (attempt: number) => number;
  /**
   * Called when a stream goes on after changes it could not replay (it had no cursor yet, or
   * its cursor had expired): the queries in use are refetched instead.
   */
  onGap?: (operation: Operation) => void;
}

export interface ShelfwireClient {
  /** The urql client: queries and mutations over HTTP, subscriptions over the transport. */
  urql: Client;
  /** Whether subscriptions are streaming; a badge can show it. */
  connection: ConnectionStatus;
  /** Closes the subscription transport; the urql client is unusable afterwards. */
  dispose(): Promise<void>;
}

/** An urql client with the live Shelfwire cache; runs in browsers and in Node 22+. */
export function createShelfwireClient(options: ShelfwireClientOptions): ShelfwireClient {
  const transport: SubscriptionTransport =
    options.transport === 'sse'
      ? sseTransport({
          url: options.url,
          token: options.token,
          readTimeoutMs: options.sseReadTimeoutMs,
        })
      : wsTransport({ url: options.url, token: options.token });
  const connection = new ConnectionStatus();
  const queries = activeQueries();
  // Gaps are filled once every stream is back, with one refetch however many streams had one.
  let refetchPending = false;
  const urql = new Client({
    url: options.url,
    fetch: options.fetch,
    // Queries go as POST too: as GET they would land, variables and all, in URLs and access logs.
    preferGetMethod: false,
    fetchOptions: () =>
      options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {},
    exchanges: [
      queries.exchange,
      liveCacheExchange(),
      subscriptionExchange({
        forwardSubscription: resumingSubscriptions({
          transport,
          status: connection,
          retryDelay: options.retryDelay,
          onGap: (operation) => {
            refetchPending = true;
            options.onGap?.(operation);
          },
        }),
      }),
      fetchExchange,
    ],
  });
  connection.subscribe((state) => {
    if (state !== 'connected' || !refetchPending) return;
    refetchPending = false;
    queries.refetch();
  });
  return { urql, connection, dispose: () => transport.dispose() };
}
