import {
  type ExecutionArgs,
  type ExecutionResult,
  executeSubscriptionEvent,
  parse,
  validateSubscriptionArgs,
} from 'graphql';
import { expect, test } from 'vitest';
import { bookUpdate } from '../../test/changeEvents.ts';
import { schema } from '../schema/index.ts';
import { batchPlan, executeBatch } from './batchResults.ts';
import type { ChangeBatch } from './changeBatches.ts';
import type { ChangeEvent } from './changeEvent.ts';

const book = (seq: number) => ({
  id: `00000000-0000-4000-8000-00000000000${seq}`,
  title: `Title ${seq}`,
  author: 'An Author',
  description: null,
  isbn: null,
  copies: 2,
  available: 1,
  version: seq,
  created_at: new Date(0),
  updated_at: new Date(0),
});
const change = (seq: number): ChangeEvent => ({ ...bookUpdate(seq), book: book(seq) });
const batch: ChangeBatch = { changes: [change(1), change(2), change(3)], cursor: 'cursor-3' };

/** A subscriber's context: anonymous, loading nothing (every change carries its book). */
const context = () => ({ viewer: null, loaders: { clearAll: () => undefined } });

/** The batch as graphql executes it whole, and as put together from shared change results. */
function bothWays(query: string, shared = new Map<object, Map<string, ExecutionResult>>()) {
  const args: ExecutionArgs = { schema, document: parse(query), contextValue: context() };
  const validated = validateSubscriptionArgs(args);
  if (!('schema' in validated)) throw new Error(JSON.stringify(validated));
  const perEvent = { ...validated, rootValue: batch };
  const plan = batchPlan(args, () => 'one key for every subscriber');
  const share = (event: object, key: string, execute: () => unknown) => {
    let byKey = shared.get(event);
    if (!byKey) shared.set(event, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, execute() as ExecutionResult);
    return byKey.get(key)!;
  };
  return {
    plan,
    whole: executeSubscriptionEvent(perEvent),
    assembled: plan && executeBatch(perEvent, plan, share as never),
  };
}

test.each([
  ['plain fields', 'subscription { bookChanges { cursor changes { cursor kind bookId } } }'],
  [
    'aliases, __typename and fragments inside a change',
    `subscription { latest: bookChanges(maxBatch: 3) { __typename at: cursor
       items: changes { ...Change book { id title } } } }
     fragment Change on BookChange { kind version changedFields }`,
  ],
])(
  'a batch put together from shared change results equals graphql executing it: %s',
  async (_, query) => {
    const { whole, assembled } = bothWays(query);
    expect(assembled).not.toBeNull();
    expect(await assembled).toEqual(await whole);
  },
);

test('subscribers with one key share each change result of a batch', async () => {
  const shared = new Map<object, Map<string, ExecutionResult>>();
  const query = 'subscription { bookChanges { changes { kind book { title } } } }';
  const first = await bothWays(query, shared).assembled;
  const second = await bothWays(query, shared).assembled;
  const changesOf = (result: ExecutionResult | null | undefined) =>
    (result!.data!.bookChanges as { changes: object[] }).changes;
  expect(changesOf(second)).toEqual(changesOf(first));
  changesOf(second).forEach((item, index) => expect(item).toBe(changesOf(first)[index]));
  expect(shared.size).toBe(3);
});

test('a batch with a fragment or directive of its own is left to graphql', () => {
  expect(
    bothWays(`subscription { bookChanges { ...B } } fragment B on BookChangeBatch { cursor }`).plan,
  ).toBeNull();
  expect(bothWays('subscription { bookChanges { cursor @include(if: true) } }').plan).toBeNull();
  expect(bothWays('subscription { bookChanged { cursor } }').plan).toBeNull();
});
