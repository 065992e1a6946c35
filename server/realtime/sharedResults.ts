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
import type { ChangeEvent } from './changeEvent.ts';
import { ChangeStream } from './changeStream.ts';
import { variablesShapingResults } from './resultVariables.ts';

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
 *
 * A transport that puts `sendSharedResult` in the context (the WebSocket one) is handed each
 * live shared result straight from the fan-out, as JSON text. The profile of 10,000 subscribers
 * showed the iterator layers between the feed and graphql-ws (graphql's mapAsyncIterable,
 * envelop's result mapping, graphql-ws's `for await` and its message serialisation), with the
 * promises and garbage they make per delivery, costing more than the socket writes themselves.
 * Setup, replay, errors and the end of a subscription still go through graphql-ws and every
 * plugin as before; plugins here only look at results with errors or at the end.
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
  const resultOf = (event: object, execute: () => MaybePromise<ExecutionResult>) => {
    let results = resultsByEvent.get(event);
    if (!results) resultsByEvent.set(event, (results = new Map()));
    let result = results.get(key);
    if (!result) {
      const executed = execute();
      if (executed instanceof Promise) {
        // Once made, the result is kept as a value: later deliveries need no await.
        result = executed.then((made) => {
          results.set(key, serialiseOnce(made));
          return made;
        });
      } else result = serialiseOnce(executed);
      results.set(key, result);
    }
    return result;
  };
  const executeShared: EventExecutor = (perEvent) => {
    const event = perEvent.rootValue;
    if (typeof event !== 'object' || event === null) return executeSubscriptionEvent(perEvent);
    return resultOf(event, () => executeSubscriptionEvent(perEvent));
  };
  const sendShared = (args.contextValue as Context | undefined)?.sendSharedResult;
  const toResponses = (source: Awaited<ReturnType<typeof createSourceEventStream>>) => {
    if (!(Symbol.asyncIterator in source)) return source;
    if (sendShared && source instanceof ChangeStream) {
      // The transport writes a shared result itself; one with errors, or still being computed,
      // or for a client that is behind, goes through the iterator below (and the error masking
      // and graphql-ws's wait for each write on its way).
      const resultFor = (event: ChangeEvent) =>
        resultOf(event, () => executeSubscriptionEvent({ ...validated, rootValue: event }));
      source.direct = {
        prepare(event) {
          const result = resultFor(event);
          return result instanceof Promise ? result : undefined;
        },
        send(event) {
          const result = resultFor(event);
          const json = result instanceof Promise ? undefined : sharedJson.get(result);
          return json !== undefined && sendShared.send(json);
        },
        cork: sendShared.cork?.bind(sendShared),
        uncork: sendShared.uncork?.bind(sendShared),
      };
    }
    return mapSourceToResponseEvent(validated, source, executeShared);
  };
  const stream = createSourceEventStream(validated);
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
  const shaping = variablesShapingResults(args.document, args.operationName);
  const variables = Object.entries(args.variableValues ?? {})
    .filter(([name]) => shaping.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([documentId, args.operationName ?? null, variables, audience]);
}
