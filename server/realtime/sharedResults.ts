import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type ValidatedSubscriptionArgs,
  createSourceEventStream,
  executeSubscriptionEvent,
  mapSourceToResponseEvent,
  validateSubscriptionArgs,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, SharedResultSender } from '../context.ts';
import { classifyError, maskedResult, unexpectedErrorMessage } from '../errorMasking.ts';
import { batchPlan, executeBatch } from './batchResults.ts';
import { ChangeBatches } from './changeBatches.ts';
import type { ChangeEvent } from './changeEvent.ts';
import { ChangeStream, type DirectSender, type StreamItem } from './changeStream.ts';
import { variablesShapingResults } from './resultVariables.ts';

type MaybePromise<T> = T | Promise<T>;

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
  shareEmptyMaps(validated);
  const key = subscriptionKey(args);
  const transport = (args.contextValue as Context | undefined)?.sendSharedResult ?? null;
  const toResponses = (source: Awaited<ReturnType<typeof createSourceEventStream>>) => {
    if (!(Symbol.asyncIterator in source)) return source;
    // graphql's own mapping cancels a waiting read when the operation's abort signal fires;
    // no transport of ours passes one.
    if (source instanceof ChangeStream && !validated.externalAbortSignal) {
      return new SharedResponses(source, validated, key, transport);
    }
    // A batch is put together from each of its changes' shared results (realtime/batchResults.ts).
    const plan = source instanceof ChangeBatches ? batchPlan(args, subscriptionKey) : null;
    const results = mapSourceToResponseEvent(validated, source, (perEvent) =>
      plan
        ? withCursorOf(perEvent.rootValue, masked(executeBatch(perEvent, plan, resultOf)))
        : executeShared(perEvent, key),
    );
    return withFailuresMasked(results);
  };
  const stream = createSourceEventStream(validated);
  return stream instanceof Promise ? stream.then(toResponses) : toResponses(stream);
}

/**
 * graphql makes four null-prototype maps for each operation (its fragments twice, its variables'
 * sources and values), which V8 keeps as dictionaries of some 160 bytes even when empty, and an
 * idle subscription holds them for as long as it lives: a heap snapshot of 2,000 idle
 * subscribers put them at 650 bytes of each one's 10 KB. Empty ones are replaced by one frozen
 * empty map for all; graphql only reads them.
 */
function shareEmptyMaps(args: ValidatedSubscriptionArgs): void {
  if (isEmpty(args.fragmentDefinitions)) args.fragmentDefinitions = emptyMap;
  if (isEmpty(args.fragments)) args.fragments = emptyMap;
  const { sources, coerced } = args.variableValues;
  if (isEmpty(sources) && isEmpty(coerced)) args.variableValues = noVariables;
}

const emptyMap: Record<string, never> = Object.freeze(Object.create(null));
const noVariables = Object.freeze({ sources: emptyMap, coerced: emptyMap });

function isEmpty(map: object): boolean {
  for (const _ in map) return false;
  return true;
}

/** The result of `event` for the subscribers with `key`, made by the first of them to ask. */
function resultOf(
  event: object,
  key: string,
  execute: () => MaybePromise<ExecutionResult>,
): MaybePromise<ExecutionResult> {
  let results = resultsByEvent.get(event);
  if (!results) resultsByEvent.set(event, (results = new Map()));
  let result = results.get(key);
  if (!result) {
    const executed = withCursorOf(event, masked(execute()));
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
}

function executeShared(perEvent: ValidatedSubscriptionArgs, key: string) {
  const event = perEvent.rootValue;
  if (typeof event !== 'object' || event === null) {
    return masked(executeSubscriptionEvent(perEvent));
  }
  return resultOf(event, key, () => executeSubscriptionEvent(perEvent));
}

/**
 * A change stream's results, as graphql's mapSourceToResponseEvent gives them, each made once
 * per distinct subscription; and the stream's direct sender when its transport writes shared
 * results itself. One object, where graphql's mapping is an async generator inside a wrapper,
 * with a dozen closures and contexts between them: an idle subscription keeps it for as long as
 * its client stays. Read one result at a time, as every consumer does (the stream holds one
 * waiting read).
 */
class SharedResponses implements AsyncIterableIterator<ExecutionResult>, DirectSender {
  private readonly source: ChangeStream;
  private readonly args: ValidatedSubscriptionArgs;
  private readonly key: string;
  private readonly transport: SharedResultSender | null;
  /** No more is read: the source ended or failed, a result failed, or we were closed. */
  private finished = false;
  /** The source ended or was closed: closing this leaves it be. */
  private sourceDone = false;

  constructor(
    source: ChangeStream,
    args: ValidatedSubscriptionArgs,
    key: string,
    transport: SharedResultSender | null,
  ) {
    this.source = source;
    this.args = args;
    this.key = key;
    this.transport = transport;
    // The transport writes a shared result itself; one with errors, or still being computed,
    // or for a client that is behind, goes through next() (and the error masking and
    // graphql-ws's wait for each write on its way).
    if (transport) source.direct = this;
  }

  prepare(event: ChangeEvent): Promise<unknown> | undefined {
    const result = this.resultFor(event);
    return result instanceof Promise ? result : undefined;
  }

  send(event: ChangeEvent): boolean {
    const result = this.resultFor(event);
    const json = result instanceof Promise ? undefined : sharedJson.get(result);
    return json !== undefined && this.transport!.send(json, event.cursor);
  }

  cork(): void {
    this.transport?.cork?.();
  }

  uncork(): void {
    this.transport?.uncork?.();
  }

  /**
   * As graphql's mapping: a result that fails to be made closes the source and rejects. A
   * promise chain, not an async function: an idle subscription waits here for as long as it
   * lives, and a suspended async function would keep its frame all that time.
   */
  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return this.source.next().then(
      (item) => (item.done ? this.sourceEnded() : this.resultItem(item.value)),
      (error: unknown) => {
        this.finished = true;
        throw maskedFailure(error);
      },
    );
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.close();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.close();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  async [Symbol.asyncDispose]() {
    await this.return();
  }

  private sourceEnded(): IteratorResult<ExecutionResult> {
    this.finished = this.sourceDone = true;
    return { value: undefined, done: true };
  }

  private async resultItem(item: StreamItem): Promise<IteratorResult<ExecutionResult>> {
    try {
      return { value: await this.resultFor(item), done: false };
    } catch (error) {
      await this.close();
      throw maskedFailure(error);
    }
  }

  /** Ends the results and, unless it has ended already, the source. */
  private async close(): Promise<void> {
    this.finished = true;
    if (this.sourceDone) return;
    this.sourceDone = true;
    await this.source.return();
  }

  private resultFor(item: StreamItem): MaybePromise<ExecutionResult> {
    return resultOf(item, this.key, () =>
      executeSubscriptionEvent({ ...this.args, rootValue: item }),
    );
  }
}

/**
 * Results and failures as the client may see them (errorMasking.ts): masked where they are made,
 * once per shared result, since Yoga's masking is off for streams.
 */
function masked(result: MaybePromise<ExecutionResult>): MaybePromise<ExecutionResult> {
  return result instanceof Promise ? result.then(maskedResult) : maskedResult(result);
}

const maskedFailure = (error: unknown) => classifyError(error, unexpectedErrorMessage);

/** `results` with a failure masked; its results are masked as they are made. */
function withFailuresMasked(
  results: AsyncGenerator<ExecutionResult> | ExecutionResult,
): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
  if (!(Symbol.asyncIterator in results)) return maskedResult(results);
  const stream: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () =>
      results.next().then(undefined, (error: unknown) => {
        throw maskedFailure(error);
      }),
    return: () => results.return(undefined),
    throw: (error: unknown) => results.throw(error),
  };
  return stream;
}

const jsonOfShared = new WeakMap<ExecutionResult, () => string>();
/** The cursor of the change a result was made from, for transports that send it alongside. */
const cursorOfResult = new WeakMap<ExecutionResult, string>();

/** The cursor of the change `result` was made from, if it was made from one. */
export const resultCursor = (result: ExecutionResult): string | undefined =>
  cursorOfResult.get(result);

/**
 * Remembers the cursor of `item` (a change or a batch) as that of its result, on every path a
 * result is made (shared, or a batch put together), for transports that send it alongside.
 */
function withCursorOf(
  item: unknown,
  result: MaybePromise<ExecutionResult>,
): MaybePromise<ExecutionResult> {
  const cursor = (item as { cursor?: unknown } | null)?.cursor;
  if (typeof cursor !== 'string') return result;
  const remember = (made: ExecutionResult) => (cursorOfResult.set(made, cursor), made);
  return result instanceof Promise ? result.then(remember) : remember(result);
}

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
