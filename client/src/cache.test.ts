// The cache's updaters against urql's real graphcache, fed by an exchange that answers as the
// server would: here a change can arrive older than what the cache holds, which the server's
// ordered, current-row payloads never make happen on their own.
import { Client, type Exchange, type Operation, makeResult } from '@urql/core';
import { filter, fromValue, makeSubject, map, mergeMap, pipe, subscribe } from 'wonka';
import { expect, test } from 'vitest';
import { CachedBooks } from '../test/operations.ts';
import { liveCacheExchange } from './cache.ts';
import { BookChanges } from './liveUpdates.ts';

const book = (version: number) => ({
  __typename: 'Book',
  id: 'Qm9vazox',
  title: 'The Word for World Is Forest',
  author: 'Ursula K. Le Guin',
  description: null,
  isbn: null,
  copies: 1,
  available: 1,
  version,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
});

/** Answers the books query with one book at version 5; subscriptions get what `changes` sends. */
function serverLike() {
  const changes = makeSubject<Record<string, unknown>>();
  const exchange: Exchange = () => (operations$) =>
    pipe(
      operations$,
      filter((operation: Operation) => operation.kind !== 'teardown'),
      mergeMap((operation: Operation) =>
        operation.kind === 'subscription'
          ? pipe(
              changes.source,
              map((data) => makeResult(operation, { data })),
            )
          : fromValue(
              makeResult(operation, {
                data: {
                  books: {
                    __typename: 'QueryBooksConnection',
                    nodes: [book(5)],
                    pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
                  },
                },
              }),
            ),
      ),
    );
  return { exchange, send: changes.next };
}

const deleted = (version: number) => ({
  bookChanged: {
    __typename: 'BookChange',
    cursor: `cursor-${version}`,
    kind: 'DELETED',
    changedFields: [],
    version,
    at: '2026-12-01T00:00:00.000Z',
    bookId: 'Qm9vazox',
    book: null,
  },
});

test('a change older than the version the cache holds leaves the lists as they are', async () => {
  const server = serverLike();
  const client = new Client({
    url: 'http://localhost/graphql',
    exchanges: [liveCacheExchange(), server.exchange],
  });
  await client.query(CachedBooks, { first: 10 }).toPromise();
  const listed = () =>
    client.readQuery(CachedBooks, { first: 10 })?.data?.books.nodes.map((node) => node.id);
  const following = pipe(
    client.subscription(BookChanges, {}),
    subscribe(() => undefined),
  );

  server.send(deleted(3)); // older than the version 5 the list holds
  expect(listed()).toEqual(['Qm9vazox']);
  server.send(deleted(6));
  expect(listed()).toEqual([]);
  following.unsubscribe();
});
