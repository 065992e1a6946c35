import type { ExecutionResult } from '@urql/core';
import { NetworkError, createClient } from 'graphql-sse';
import type { SubscriptionTransport } from './transport.ts';

export interface SseTransportOptions {
  /** The GraphQL endpoint; each subscription is one event-stream request to it. */
  url: string;
  token?: string;
  /**
   * A stream on which neither an event nor a keep-alive comment arrived for this long is taken
   * as lost and resumed. Yoga sends a keep-alive every 12 s on these streams; 30 s by default.
   */
  readTimeoutMs?: number;
  /** The fetch the streams are opened with; the global one by default. */
  fetch?: typeof fetch;
}

/** Raised into a stream that stalled: nothing came through it for `ms`. */
export class StreamStalledError extends Error {
  constructor(ms: number) {
    super(`No event or keep-alive on the stream for ${ms} ms.`);
    this.name = 'StreamStalledError';
  }
}

/**
 * A fetch whose event streams are aborted once nothing arrives for `ms`: a network that vanished
 * (a sleeping laptop, a dropped Wi-Fi) closes no TCP connection, so without it a read waits for
 * good. The time runs from the request on, so a stalled connect counts as well.
 */
export function fetchWithReadTimeout(base: typeof fetch, ms: number): typeof fetch {
  return async (input, init) => {
    const stall = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(new StreamStalledError(ms)), ms);
    };
    init?.signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
    const signal = init?.signal ? AbortSignal.any([init.signal, stall.signal]) : stall.signal;
    rearm();
    const response = await base(input, { ...init, signal }).catch((error: unknown) => {
      clearTimeout(timer);
      throw error;
    });
    if (!response.body || !response.headers.get('content-type')?.includes('text/event-stream')) {
      clearTimeout(timer);
      return response;
    }
    const watched = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          rearm();
          controller.enqueue(chunk);
        },
        flush: () => clearTimeout(timer),
      }),
    );
    return new Response(watched, response);
  };
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
    // A stalled stream then fails as a NetworkError without a response: retried, as a lost one.
    fetchFn: fetchWithReadTimeout(
      options.fetch ?? ((input, init) => fetch(input, init)),
      options.readTimeoutMs ?? 30_000,
    ),
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
