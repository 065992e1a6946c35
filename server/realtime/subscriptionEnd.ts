/**
 * What runs when a subscription ends, however it ends: the client stops it or leaves, its stream
 * ends or fails.
 *
 * Plugins that count open subscriptions (fair use, metrics) register here rather than returning
 * an `onEnd` from envelop's onSubscribeResult, and an `onSubscribeError`: for those envelop wraps
 * every stream in two iterators of its own, each with its closures and a pending read, kept for
 * as long as the subscription lives. A heap snapshot of 5,000 idle graphql-ws subscribers put
 * that at about 1 KB of each one's 14.
 *
 * A source that reports its end (openStream, through the change feed) claims the context with
 * `reportSubscriptionEnd` before it returns. Any other stream is wrapped as envelop would.
 */

/**
 * A hook is one function for every subscription, called with the subscription's own argument
 * (its viewer's key, its metric labels): nothing is made per subscription but the pair's place
 * in a list. Tens of thousands of subscriptions live at once.
 */
type Hook<Argument> = (argument: Argument) => void;

/** Hooks and their arguments, alternating. */
type Registered = unknown[];

const waiting = new WeakMap<object, Registered>();

/**
 * Called by a subscription's source as it opens: the function returned runs the hooks, once,
 * when the subscription ends. A hook registered after that gets the fallback.
 */
export function reportSubscriptionEnd(context: object): () => void {
  const registered: Registered = [];
  waiting.set(context, registered);
  return () => {
    if (waiting.get(context) !== registered) return;
    waiting.delete(context);
    runHooks(registered);
  };
}

function runHooks(registered: Registered): void {
  for (let i = 0; i < registered.length; i += 2) {
    (registered[i] as Hook<unknown>)(registered[i + 1]);
  }
}

/**
 * Runs `hook(argument)` once when the subscription whose subscribe result is `result` ends: at
 * once when it is no stream (refused before it began), else when its source reports the end,
 * else when the stream, wrapped here through `setResult`, finishes, fails or is stopped.
 */
export function atSubscriptionEnd<Result, Argument>(
  payload: {
    args: { contextValue?: unknown };
    result: Result | AsyncIterableIterator<Result>;
    setResult: (result: AsyncIterableIterator<Result>) => void;
  },
  hook: Hook<Argument>,
  argument: Argument,
): void {
  const { result } = payload;
  if (!isAsyncIterable<Result>(result)) return hook(argument);
  const registered = waiting.get(payload.args.contextValue as object);
  if (registered) registered.push(hook, argument);
  else payload.setResult(endingWith(result, () => hook(argument)));
}

function endingWith<T>(source: AsyncIterable<T>, hook: () => void): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    hook();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () =>
      iterator.next().then(
        (read) => {
          if (read.done) end();
          return read;
        },
        (error: unknown) => {
          end();
          throw error;
        },
      ),
    return: (value?: unknown) => {
      end();
      return iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
    },
    throw: (error?: unknown) => {
      end();
      return iterator.throw?.(error) ?? Promise.reject(error);
    },
  };
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
