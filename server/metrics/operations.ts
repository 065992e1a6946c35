import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type OperationDefinitionNode,
  getOperationAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Counter, Gauge } from 'prom-client';
import { atSubscriptionEnd } from '../realtime/subscriptionEnd.ts';
import { streamPath } from '../yoga.ts';

/** The transports a subscription can arrive on, as the `transport` label names them. */
export type Transport = 'ws' | 'sse' | 'sse_single';

export interface OperationMetrics {
  operations: Counter<'operation' | 'type' | 'outcome'>;
  subscribers: Gauge<'transport' | 'field'>;
}

type SubscriberLabels = Readonly<{ transport: Transport; field: string }>;

/** Operation names are chosen by clients: longer ones are cut, later distinct ones pooled. */
const maxNameLength = 64;
const maxDistinctNames = 100;

/**
 * Counts every GraphQL operation by name, type and outcome (`ok` or the first error's code),
 * on every transport, and the subscriptions open by transport and field. A request refused
 * before validation (it did not parse, or a limit stopped it) is not an operation here.
 */
export function useOperationMetrics(metrics: OperationMetrics): Plugin {
  const names = new Set<string>();
  const nameLabel = (operation: OperationDefinitionNode | null | undefined): string => {
    const name = operation?.name?.value.slice(0, maxNameLength);
    if (!name) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= maxDistinctNames) return 'other';
    names.add(name);
    return name;
  };
  const count = (
    document: DocumentNode,
    operationName: string | null | undefined,
    outcome: string,
  ) => {
    const operation = getOperationAST(document, operationName);
    metrics.operations.inc({
      operation: nameLabel(operation),
      type: operation?.operation ?? 'unknown',
      outcome,
    });
  };
  // One labels object per transport and field, shared by their subscribers, and one hook for
  // all: each subscription keeps nothing of its own here for as long as it lives.
  const labelSets = new Map<string, SubscriberLabels>();
  const subscriberLabels = (transport: Transport, field: string): SubscriberLabels => {
    const key = `${transport} ${field}`;
    let labels = labelSets.get(key);
    if (!labels) labelSets.set(key, (labels = Object.freeze({ transport, field })));
    return labels;
  };
  const leave = (labels: SubscriberLabels) => metrics.subscribers.dec(labels);
  return {
    onValidate({ params, context }) {
      return ({ valid, result }) => {
        if (valid) return;
        const operationName = (context as { params?: { operationName?: string } }).params
          ?.operationName;
        const code = codeOf(result, 'GRAPHQL_VALIDATION_FAILED');
        count(params.documentAST, operationName, code);
      };
    },
    onExecute() {
      return {
        onExecuteDone({ args, result }) {
          count(args.document, args.operationName, outcomeOf(result));
        },
      };
    },
    onSubscribe() {
      return {
        onSubscribeResult(payload) {
          const { args, result } = payload;
          count(args.document, args.operationName, outcomeOf(result));
          if (!(Symbol.asyncIterator in result)) return;
          const labels = subscriberLabels(
            transportOf(args.contextValue),
            rootFieldOf(args.document, args.operationName),
          );
          metrics.subscribers.inc(labels);
          atSubscriptionEnd(payload, leave, labels);
        },
      };
    },
  };
}

function outcomeOf(result: ExecutionResult | AsyncIterable<ExecutionResult>): string {
  if (Symbol.asyncIterator in result || !result.errors?.length) return 'ok';
  return codeOf(result.errors, 'ERROR');
}

/**
 * The first error's code, when it looks like one of ours, else `uncoded`: an unexpected error
 * (masked as INTERNAL_SERVER_ERROR for the client) or one graphql-js raised without a code.
 */
function codeOf(errors: readonly (Error | GraphQLError)[], uncoded: string): string {
  const first = errors[0];
  const code = first && 'extensions' in first ? first.extensions.code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,39}$/.test(code) ? code : uncoded;
}

/**
 * Which transport an operation came over, from what each puts in the context: the WebSocket
 * transport its socket, single-connection SSE its POST to the stream path; everything else
 * that subscribes is Yoga's SSE (distinct connections) at /graphql.
 */
function transportOf(context: unknown): Transport {
  const initial = context as { socket?: unknown; request?: Request };
  if (initial.socket) return 'ws';
  if (initial.request && new URL(initial.request.url).pathname === streamPath) return 'sse_single';
  return 'sse';
}

/** A subscription selects exactly one root field (a validation rule). */
function rootFieldOf(document: DocumentNode, operationName: string | null | undefined): string {
  const selection = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return selection?.kind === 'Field' ? selection.name.value : 'unknown';
}
