import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  createSourceEventStream,
  executeSubscriptionEvent,
  mapSourceToResponseEvent,
  validateSubscriptionArgs,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';

type MaybePromise<T> = T | Promise<T>;
type EventExecutor = NonNullable<Parameters<typeof mapSourceToResponseEvent>[2]>;

/**
 * Executes each change once per distinct subscription, not once per subscriber.
 *
 * A change is fanned out as one shared event object, and every subscriber that sent the same
 * document and variables, and may see the same things, would compute the same result from it.
 * Who may see what depends only on the viewer's role and, for a user, their id, so that is the
 * audience part of the key. Replayed changes and error items are per subscriber and never meet.
 *
 * A shared result is also serialised once: `sharedJson` gives its JSON text to the WebSocket
 * transport, and Yoga's SSE writer calls the result's own `stringify` when it has one.
 */
export function useSharedSubscriptionResults(): Plugin<Context> {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeSharingResults as never);
    },
  };
}

const resultsByEvent = new WeakMap<object, Map<string, MaybePromise<ExecutionResult>>>();
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

function subscribeSharingResults(args: ExecutionArgs) {
  const validated = validateSubscriptionArgs(args);
  if (!('schema' in validated)) return { errors: validated };
  const key = subscriptionKey(args);
  const executeShared: EventExecutor = (perEvent) => {
    const event = perEvent.rootValue;
    if (typeof event !== 'object' || event === null) return executeSubscriptionEvent(perEvent);
    let results = resultsByEvent.get(event);
    if (!results) resultsByEvent.set(event, (results = new Map()));
    let result = results.get(key);
    if (!result) {
      const executed = executeSubscriptionEvent(perEvent);
      result = executed instanceof Promise ? executed.then(serialiseOnce) : serialiseOnce(executed);
      results.set(key, result);
    }
    return result;
  };
  const stream = createSourceEventStream(validated);
  const toResponses = (source: Awaited<typeof stream>) =>
    Symbol.asyncIterator in source
      ? mapSourceToResponseEvent(validated, source, executeShared)
      : source;
  return stream instanceof Promise ? stream.then(toResponses) : toResponses(stream);
}

const jsonOfShared = new WeakMap<ExecutionResult, () => string>();

/**
 * Makes `result` serialise once however many subscribers send it. Only results without errors:
 * error masking replaces a result that has errors with a copy, whose JSON would differ. A copy
 * carries neither the non-enumerable `stringify` nor the entry in `jsonOfShared`, so whatever a
 * plugin changes is serialised afresh.
 */
function serialiseOnce(result: ExecutionResult): ExecutionResult {
  if (result.errors?.length) return result;
  let json: string | undefined;
  const stringify = () => (json ??= JSON.stringify(result));
  jsonOfShared.set(result, stringify);
  // Yoga's SSE result processor serialises with `result.stringify` when a result has one.
  Object.defineProperty(result, 'stringify', {
    value: (value: unknown) => (value === result ? stringify() : JSON.stringify(value)),
  });
  return result;
}

const isObject = (value: unknown): value is ExecutionResult =>
  typeof value === 'object' && value !== null;

/** The JSON text of results shared by several subscribers, made once for each. */
export const sharedJson = {
  has: (result: unknown): boolean => isObject(result) && jsonOfShared.has(result),
  get: (result: unknown): string | undefined =>
    isObject(result) ? jsonOfShared.get(result)?.() : undefined,
};

/** Subscribers with equal keys get equal results from one event. */
function subscriptionKey(args: ExecutionArgs): string {
  let documentId = documentIds.get(args.document);
  if (documentId === undefined) documentIds.set(args.document, (documentId = nextDocumentId++));
  const viewer = (args.contextValue as Context | undefined)?.viewer;
  const audience = !viewer ? 'anonymous' : viewer.role === 'admin' ? 'admin' : `user:${viewer.id}`;
  return JSON.stringify([
    documentId,
    args.operationName ?? null,
    args.variableValues ?? null,
    audience,
  ]);
}
