import type { ExecutionResult, Operation, SubscriptionForwarder } from '@urql/core';
import type { ConnectionStatus, StopReason } from './connectionState.ts';
import { resultErrorCode } from './errors.ts';
import type { SubscriptionTransport } from './transports/transport.ts';

export interface ResumeOptions {
  transport: SubscriptionTransport;
  status: ConnectionStatus;
  /** Milliseconds to wait before attempt `attempt` (1 = the first retry). */
  retryDelay?: (attempt: number) => number;
  /**
   * Called when a subscription streams again after changes it cannot replay: it had no cursor
   * yet, or its cursor fell out of the server's retained log (CURSOR_EXPIRED).
   */
  onGap?: (operation: Operation) => void;
}

/** Exponential backoff from a quarter second to ten, with jitter so tabs do not retry in step. */
export const defaultRetryDelay = (attempt: number) =>
  Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);

/** A refusal in words: its first error's message and code, else what the transport said. */
function stopReason(refusal: ExecutionResult | undefined, error: unknown): StopReason {
  const message = (refusal?.errors as readonly { message?: string }[] | undefined)?.[0]?.message;
  return {
    code: refusal && resultErrorCode(refusal),
    message: message ?? (error instanceof Error ? error.message : 'The server refused it.'),
  };
}

/** The `cursor` of a change delivered at the root of a subscription result. */
function cursorOf(result: ExecutionResult): string | undefined {
  for (const value of Object.values(result.data ?? {})) {
    const cursor = (value as { cursor?: unknown } | null)?.cursor;
    if (typeof cursor === 'string') return cursor;
  }
  return undefined;
}

/**
 * urql's `forwardSubscription` over a transport that may lose its connection. Each subscription
 * remembers the cursor of the last change it delivered (at first, the `after` it was asked with,
 * if any); after a loss it subscribes again with `after` set to that cursor, so the server
 * replays exactly what was missed, then goes on live.
 */
export function resumingSubscriptions(options: ResumeOptions): SubscriptionForwarder {
  const { transport, status } = options;
  const retryDelay = options.retryDelay ?? defaultRetryDelay;
  const lastCursors = new Map<number, string>();

  return (request, operation) => ({
    subscribe(sink) {
      // One phase per operation: the same operation subscribed again replaces a refusal.
      const id = operation.key;
      let attempt = 0;
      let ended = false;
      /** Changes may have been missed that no `after` will bring back. */
      let gap = false;
      /** The server no longer keeps the changes after the cursor: go on from now. */
      let expired = false;
      const { after: askedAfter, ...fromNow } = (request.variables ?? {}) as {
        after?: unknown;
      };
      const resumeFrom = () =>
        lastCursors.get(operation.key) ??
        (expired || typeof askedAfter !== 'string' ? undefined : askedAfter);
      let stopAttempt: (() => void) | undefined;
      let retryTimer: ReturnType<typeof setTimeout> | undefined;

      /** Ends the subscription; `refused` says the server ended it for good, and why. */
      const end = (refused?: StopReason) => {
        // urql tears a subscription down after it completes: a refusal must stay on record.
        if (ended) return;
        ended = true;
        clearTimeout(retryTimer);
        stopAttempt?.();
        if (refused) status.stopped(id, refused);
        else status.ended(id);
      };

      const retry = () => {
        stopAttempt?.();
        status.lost(id);
        if (resumeFrom() === undefined) gap = true;
        attempt += 1;
        retryTimer = setTimeout(start, retryDelay(attempt));
      };

      function start() {
        if (ended) return;
        status.starting(id);
        const after = resumeFrom();
        const variables = after === undefined ? fromNow : { ...fromNow, after };
        // The server ends a subscriber that fell behind with SLOW_CONSUMER, and one whose cursor
        // it no longer keeps with CURSOR_EXPIRED: both subscribe again, the latter from now.
        let resubscribe = false;
        let refusal: ExecutionResult | undefined;
        stopAttempt = transport.subscribe(
          { ...request, variables },
          {
            streaming: () => {
              attempt = 0;
              // Told before the status changes, so a listener for `connected` sees every gap.
              if (gap) options.onGap?.(operation);
              gap = false;
              status.streaming(id);
            },
            next: (result) => {
              if (ended) return;
              const code = resultErrorCode(result);
              if (code === 'SLOW_CONSUMER' || code === 'CURSOR_EXPIRED') {
                if (code === 'CURSOR_EXPIRED') {
                  lastCursors.delete(operation.key);
                  expired = true;
                }
                resubscribe = true;
                return;
              }
              // graphql-ws delivers a refused subscribe as a result with errors, then `complete`.
              if (result.errors?.length && !result.data) refusal = result;
              const cursor = cursorOf(result);
              if (cursor !== undefined) lastCursors.set(operation.key, cursor);
              sink.next(result);
            },
            error: (error) => {
              if (ended) return;
              if (transport.isRetryable(error)) return retry();
              void transport.refusalResult(error).then((refusal) => {
                if (ended) return;
                end(stopReason(refusal, error));
                if (!refusal) return sink.error(error);
                sink.next(refusal);
                sink.complete();
              });
            },
            complete: () => {
              if (ended) return;
              if (resubscribe) return retry();
              end(refusal && stopReason(refusal, undefined));
              sink.complete();
            },
          },
        );
      }

      start();
      return { unsubscribe: () => end() };
    },
  });
}
