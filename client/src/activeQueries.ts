import { type Client, type Exchange, type Operation, makeOperation } from '@urql/core';
import { pipe, tap } from 'wonka';

/**
 * Keeps track of the queries in use, so that all of them can be fetched again when the cache
 * may have missed changes that no cursor can replay.
 */
export function activeQueries(): { exchange: Exchange; refetch(): void } {
  const active = new Map<number, Operation>();
  let client: Client | undefined;
  const exchange: Exchange = (input) => {
    client = input.client;
    return (operations$) =>
      input.forward(
        pipe(
          operations$,
          tap((operation) => {
            if (operation.kind === 'query') active.set(operation.key, operation);
            else if (operation.kind === 'teardown') active.delete(operation.key);
          }),
        ),
      );
  };
  const refetch = () => {
    for (const operation of active.values()) {
      client?.reexecuteOperation(
        makeOperation('query', operation, { ...operation.context, requestPolicy: 'network-only' }),
      );
    }
  };
  return { exchange, refetch };
}
