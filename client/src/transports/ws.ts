import type { ExecutionResult } from '@urql/core';
import { type Client, createClient } from 'graphql-ws/client';
import type { SubscriptionTransport } from './transport.ts';

export interface WsTransportOptions {
  /** The GraphQL endpoint over HTTP; the socket goes to the same path with ws: or wss:. */
  url: string;
  token?: string;
  /** How often to ping the server; a pong missing for as long closes the socket. */
  keepAliveMs?: number;
}

/** Close codes that say the connection was lost or ended, so a new attempt may succeed. */
const retryableCloseCodes = new Set([
  1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014, 4408, 4418, 4499,
]);
const pongTimeoutCode = 4408;

const isCloseEvent = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;

/** A socket `error` event: the network failed (browsers give no detail, by design). */
const isSocketError = (value: unknown) =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'error';

/** Subscriptions over graphql-ws (`graphql-transport-ws`), signed in through connectionParams. */
export function wsTransport(options: WsTransportOptions): SubscriptionTransport {
  const keepAliveMs = options.keepAliveMs ?? 10_000;
  const waitingForSocket = new Set<() => void>();
  let open = false;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | undefined;

  const client: Client = createClient({
    url: options.url.replace(/^http/, 'ws'),
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: 0,
    keepAlive: keepAliveMs,
    on: {
      connected: (connected) => {
        socket = connected as WebSocket;
        open = true;
        for (const notify of waitingForSocket) notify();
        waitingForSocket.clear();
      },
      closed: () => {
        open = false;
        clearTimeout(pongTimer);
      },
      // A network that vanished closes nothing: only a missing pong tells, so close it ourselves.
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          if (socket?.readyState === WebSocket.OPEN) socket.close(pongTimeoutCode, 'Pong timeout');
        }, keepAliveMs);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  return {
    subscribe(request, sink) {
      const streaming = () => sink.streaming();
      const unsubscribe = client.subscribe(
        {
          query: request.query ?? '',
          variables: request.variables,
          operationName: request.operationName,
        },
        {
          next: (result) => sink.next(result as ExecutionResult),
          error: (error) => sink.error(error),
          complete: () => sink.complete(),
        },
      );
      // On an open socket the subscribe message goes out at once; otherwise after the handshake.
      if (open) streaming();
      else waitingForSocket.add(streaming);
      return () => {
        waitingForSocket.delete(streaming);
        unsubscribe();
      };
    },
    isRetryable: (error) =>
      isCloseEvent(error) ? retryableCloseCodes.has(error.code) : isSocketError(error),
    async refusalResult(error) {
      // The server closes with "CODE: message" (4403 "UNAUTHENTICATED: token expired").
      if (isCloseEvent(error)) {
        const match = /^([A-Z_]+): (.*)$/s.exec(error.reason);
        if (match) return { errors: [{ message: match[2]!, extensions: { code: match[1]! } }] };
      }
      // Validation failures arrive as an `error` message: a list of GraphQL errors.
      if (Array.isArray(error)) return { errors: error };
      return undefined;
    },
    async dispose() {
      clearTimeout(pongTimer);
      // graphql-ws's dispose awaits the last connection attempt and rethrows how it ended: a
      // socket the server already closed (a refused token, say) has nothing left to close.
      try {
        await client.dispose();
      } catch (error) {
        if (!isCloseEvent(error) && !isSocketError(error)) throw error;
      }
    },
  };
}
