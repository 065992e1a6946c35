import type { ExecutionResult } from 'graphql';
import { afterEach, expect, test, vi } from 'vitest';
import { OperationEventStream } from './sseDistinct.ts';

afterEach(() => {
  vi.useRealTimers();
});

async function* results(...items: ExecutionResult[]) {
  yield* items;
}

test("an operation that ends writes Yoga's framing and leaves no keep-alive timer behind", async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const stream = new OperationEventStream(1000);
  const response = stream.respond(results({ data: { n: 1 } }), { ReadableStream, Response });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  expect(await response.text()).toBe(
    ':\n\nevent: next\ndata: {"data":{"n":1}}\n\nevent: complete\ndata:\n\n',
  );
  expect(vi.getTimerCount()).toBe(0);
});

test('an operation whose results fail errors the stream and leaves no timer behind', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const failing: AsyncIterable<ExecutionResult> = {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('gone')) }),
  };
  const response = new OperationEventStream(1000).respond(failing, { ReadableStream, Response });
  await expect(response.text()).rejects.toThrow('gone');
  expect(vi.getTimerCount()).toBe(0);
});
