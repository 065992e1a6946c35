import type { ExecutionResult } from '@urql/core';
import { NetworkError, createClient } from 'graphql-sse';
import type { SubscriptionTransport } from './transport.ts';

export interface SseTransportOptions {
  /** The GraphQL endpoint; each subscription is one event-stream request to it. */
  url: string;
  token?: string;
}

/**
 * Subscriptions over graphql-sse in distinct-connections mode: one stream per subscription,
 * which needs no sticky sessions behind a load balancer (the single-connection mode does).
 */
export function sseTransport(options: SseTransportOptions): SubscriptionTransport {
  const client = createClient({
    url: options.url,
    singleConnection: false,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: 0,
  });

  return {
    subscribe(request, sink) {
      return client.subscribe(
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
        { connected: () => sink.streaming() },
      );
    },
    isRetryable(error) {
      if (!(error instanceof NetworkError)) return false;
      const status = (error.response as Response | undefined)?.status;
      return status === undefined || status === 408 || status === 429 || status >= 500;
    },
    async refusalResult(error) {
      const response =
        error instanceof NetworkError ? (error.response as Response | undefined) : undefined;
      if (!response?.headers.get('content-type')?.includes('json')) return undefined;
      const body = (await response.json().catch(() => undefined)) as ExecutionResult | undefined;
      return body?.errors ? body : undefined;
    },
    async dispose() {
      client.dispose();
    },
  };
}
