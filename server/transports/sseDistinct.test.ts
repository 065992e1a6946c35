import { once } from 'node:events';
import { type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionResult } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterEach, expect, test, vi } from 'vitest';
import { OperationEventStream } from './sseDistinct.ts';

/** The fetch API Yoga hands a result processor under Node, whose body streams start lazily. */
const { fetchAPI } = createYoga({ schema: createSchema({ typeDefs: 'type Query { ok: Int }' }) });

afterEach(() => {
  vi.useRealTimers();
});

async function* results(...items: ExecutionResult[]) {
  yield* items;
}

/**
 * Serves one request with `stream`'s response as Yoga's Node adapter does: the head first, then
 * the body read to its end (or its error), then the response ended; returns what a client read.
 */
async function served(stream: OperationEventStream, source: AsyncIterable<ExecutionResult>) {
  const server = createServer((_request, nodeResponse: ServerResponse) => {
    const response = stream.respond(source, fetchAPI, nodeResponse);
    nodeResponse.writeHead(response.status, Object.fromEntries(response.headers));
    const reader = response.body!.getReader();
    const pump = (): Promise<void> =>
      reader.read().then(({ done }) => (done ? void nodeResponse.end() : pump()));
    pump().catch(() => nodeResponse.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    return {
      type: response.headers.get('content-type'),
      text: await response.text().catch((error: unknown) => error as Error),
    };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test("an operation that ends writes Yoga's framing and leaves no keep-alive timer behind", async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const { type, text } = await served(new OperationEventStream(1000), results({ data: { n: 1 } }));
  expect(type).toBe('text/event-stream');
  expect(text).toBe(':\n\nevent: next\ndata: {"data":{"n":1}}\n\nevent: complete\ndata:\n\n');
  expect(vi.getTimerCount()).toBe(0);
});

test('an operation whose results fail cuts the stream and leaves no timer behind', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const failing: AsyncIterable<ExecutionResult> = {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('gone')) }),
  };
  const { text } = await served(new OperationEventStream(1000), failing);
  expect(text).toBeInstanceOf(Error);
  expect(vi.getTimerCount()).toBe(0);
});
