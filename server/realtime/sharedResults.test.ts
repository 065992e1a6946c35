import {
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import type { SharedResultSender } from '../context.ts';
import { DomainError } from '../errors.ts';
import { bookUpdate } from '../../test/changeEvents.ts';
import type { ChangeEvent } from './changeEvent.ts';
import { ChangeStream, type StreamEnding } from './changeStream.ts';
import { useSharedSubscriptionResults } from './sharedResults.ts';

const event = bookUpdate;

type Responses = AsyncIterableIterator<ExecutionResult>;
type Subscribe = (args: ExecutionArgs) => Promise<Responses> | Responses;

/** The plugin's subscribe function, over a schema whose one field streams `stream`'s changes. */
function subscriber(stream: ChangeStream): Subscribe {
  let subscribe: Subscribe | undefined;
  const plugin = useSharedSubscriptionResults();
  (plugin.onSubscribe as (payload: { setSubscribeFn: (fn: Subscribe) => void }) => void)({
    setSubscribeFn: (fn) => (subscribe = fn),
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        changed: {
          type: GraphQLString,
          subscribe: () => stream,
          resolve: (item: ChangeEvent | DomainError) => {
            if (item instanceof DomainError) throw item;
            if (item.entityId === 'id-0') throw new Error('the disk under /srv/secret is full');
            return item.entityId;
          },
        },
      },
    }),
  });
  const document = parse('subscription { changed }');
  return (args) => subscribe!({ ...args, schema, document });
}

function changeStream(onEnd: (ending: StreamEnding) => void = () => undefined) {
  return new ChangeStream({
    capacity: 10,
    onOverflow: () => new DomainError('SLOW_CONSUMER', 'too slow'),
    onEnd,
  });
}

describe('shared subscription results', () => {
  test("a change stream's results come in order, and once it ends every read answers done", async () => {
    const stream = changeStream();
    const responses = await subscriber(stream)({ contextValue: {} } as ExecutionArgs);
    stream.push(event(1));
    stream.push(event(2));
    stream.end();
    expect((await responses.next()).value).toEqual({ data: { changed: 'id-1' } });
    expect((await responses.next()).value).toEqual({ data: { changed: 'id-2' } });
    expect(await responses.next()).toEqual({ value: undefined, done: true });
    expect(await responses.next()).toEqual({ value: undefined, done: true });
  });

  test('the error that ends a stream is its last result, with the error', async () => {
    const stream = changeStream();
    const responses = await subscriber(stream)({ contextValue: {} } as ExecutionArgs);
    const waiting = responses.next();
    stream.fail(new DomainError('SLOW_CONSUMER', 'too slow'));
    const last = (await waiting).value as ExecutionResult;
    expect(last.data).toEqual({ changed: null });
    expect(last.errors?.[0]?.message).toBe('too slow');
    expect(await responses.next()).toEqual({ value: undefined, done: true });
  });

  test('a result that fails unexpectedly, and a read that fails, are masked', async () => {
    const masked = { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    const stream = new ChangeStream({
      capacity: 10,
      onOverflow: () => new DomainError('SLOW_CONSUMER', 'too slow'),
      onEnd: () => undefined,
      refill: () => Promise.reject(new Error('lost the connection to secret-host')),
    });
    const responses = await subscriber(stream)({ contextValue: {} } as ExecutionArgs);
    stream.push(event(0));
    const failed = (await responses.next()).value as ExecutionResult;
    expect(failed.data).toEqual({ changed: null });
    expect(failed.errors?.map((error) => error.toJSON())).toEqual([
      expect.objectContaining(masked),
    ]);
    const read = responses.next();
    await expect(read).rejects.toMatchObject(masked);
    expect(JSON.stringify([failed, await read.catch(String)])).not.toMatch(/secret/);
  });

  test('return() while a read waits ends that read and releases the stream at once', async () => {
    const endings: StreamEnding[] = [];
    const stream = changeStream((ending) => endings.push(ending));
    const responses = await subscriber(stream)({ contextValue: {} } as ExecutionArgs);
    const waiting = responses.next();
    expect(await responses.return!()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(endings).toEqual(['return']);
    expect(await responses.next()).toEqual({ value: undefined, done: true });
  });

  test('throw() releases the stream and rejects with the error it was given', async () => {
    const endings: StreamEnding[] = [];
    const stream = changeStream((ending) => endings.push(ending));
    const responses = await subscriber(stream)({ contextValue: {} } as ExecutionArgs);
    const reason = new Error('consumer gave up');
    await expect(responses.throw!(reason)).rejects.toBe(reason);
    expect(endings).toEqual(['return']);
  });

  test("a transport's sender writes live results itself, as JSON made once for equal subscriptions", async () => {
    const sent: string[][] = [[], []];
    const streams = [changeStream(), changeStream()];
    const responses = await Promise.all(
      streams.map((stream, n) => {
        const sender: SharedResultSender = { send: (json) => sent[n]!.push(json) > 0 };
        return subscriber(stream)({ contextValue: { sendSharedResult: sender } } as ExecutionArgs);
      }),
    );
    const waiting = responses.map((each) => each.next());
    const change = event(1);
    for (const stream of streams) expect(stream.push(change)).toBe(true);
    expect(sent).toEqual([['{"data":{"changed":"id-1"}}'], ['{"data":{"changed":"id-1"}}']]);
    // Written directly, the change leaves the reads waiting for the next one.
    for (const each of responses) await each.return!();
    expect(await Promise.all(waiting)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
  });
});
