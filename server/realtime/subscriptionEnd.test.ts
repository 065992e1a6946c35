import { expect, test, vi } from 'vitest';
import { atSubscriptionEnd, reportSubscriptionEnd } from './subscriptionEnd.ts';

async function* stream(...items: number[]) {
  yield* items;
}

/**
 * What envelop's onSubscribeResult hands a plugin for a stream, and `stream()`: the stream as
 * the plugin left it (wrapped through `setResult`, or as it was).
 */
function subscribeResult(context: object, result: AsyncIterableIterator<number>) {
  let current = result;
  const payload = {
    args: { contextValue: context },
    result: result as number | AsyncIterableIterator<number>,
    setResult: vi.fn((wrapped: AsyncIterableIterator<number>) => {
      current = wrapped;
    }),
  };
  return { payload, stream: () => current };
}

test('a subscription refused before it began runs the hook at once, once', () => {
  const hook = vi.fn();
  const refused = { args: { contextValue: {} }, result: { errors: [] }, setResult: vi.fn() };
  atSubscriptionEnd(refused, hook, 'viewer');
  expect(hook).toHaveBeenCalledTimes(1);
  expect(hook).toHaveBeenCalledWith('viewer');
});

test('a source that reports its end runs each hook once with its own argument', () => {
  const context = {};
  const ended = reportSubscriptionEnd(context);
  const first = vi.fn();
  const second = vi.fn();
  const { payload } = subscribeResult(context, stream(1));
  atSubscriptionEnd(payload, first, 'viewer');
  atSubscriptionEnd(payload, second, { transport: 'ws' });
  expect(payload.setResult).not.toHaveBeenCalled();
  ended();
  ended();
  expect(first).toHaveBeenCalledTimes(1);
  expect(first).toHaveBeenCalledWith('viewer');
  expect(second).toHaveBeenCalledTimes(1);
  expect(second).toHaveBeenCalledWith({ transport: 'ws' });
});

test('any other stream is wrapped, and its hook runs once however it ends', async () => {
  const stopped = vi.fn();
  const stoppedStream = subscribeResult({}, stream(1, 2));
  atSubscriptionEnd(stoppedStream.payload, stopped, 'a');
  await stoppedStream.stream().next();
  await stoppedStream.stream().return!(undefined);
  await stoppedStream.stream().return!(undefined);
  expect(stopped).toHaveBeenCalledTimes(1);

  const finished = vi.fn();
  const finishedStream = subscribeResult({}, stream(1));
  atSubscriptionEnd(finishedStream.payload, finished, 'b');
  for await (const item of finishedStream.stream()) expect(item).toBe(1);
  await finishedStream.stream().return!(undefined);
  expect(finished).toHaveBeenCalledTimes(1);
  expect(finished).toHaveBeenCalledWith('b');

  const failed = vi.fn();
  const failedStream = subscribeResult({}, stream(1));
  atSubscriptionEnd(failedStream.payload, failed, 'c');
  await expect(failedStream.stream().throw!(new Error('gone'))).rejects.toThrow('gone');
  await failedStream.stream().return!(undefined);
  expect(failed).toHaveBeenCalledTimes(1);
});
