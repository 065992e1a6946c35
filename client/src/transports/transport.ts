import type { ExecutionResult, SubscriptionOperation } from '@urql/core';

/** What one attempt at a subscription reports back. */
export interface AttemptSink {
  /** The attempt has reached the server: changes will now stream. */
  streaming(): void;
  next(result: ExecutionResult): void;
  error(error: unknown): void;
  complete(): void;
}

/**
 * A subscription protocol reduced to single attempts. Transports never retry on their own: the
 * resume loop does, so that each new attempt carries the latest cursor as `after`.
 */
export interface SubscriptionTransport {
  /** Starts one attempt; the returned function ends it. */
  subscribe(request: SubscriptionOperation, sink: AttemptSink): () => void;
  /** True for a lost or failed connection worth another attempt; false for a refusal. */
  isRetryable(error: unknown): boolean;
  /** A refusal as a GraphQL result with `extensions.code`, when the server said which. */
  refusalResult(error: unknown): Promise<ExecutionResult | undefined>;
  dispose(): Promise<void>;
}

export type TransportName = 'ws' | 'sse';
