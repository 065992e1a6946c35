import { useEffect, useState } from 'react';
import type { CombinedError } from 'urql';
import { describeError } from './describeError.ts';

/**
 * The cursors of the pages of a list loaded so far (the first page has none), in order. Starts
 * over at the first page whenever `resetKey` (the list's filter) changes.
 */
export function usePages(resetKey: string) {
  const [state, setState] = useState({ key: resetKey, cursors: [null] as (string | null)[] });
  const cursors = state.key === resetKey ? state.cursors : [null];
  return {
    cursors,
    last: cursors[cursors.length - 1] ?? null,
    loadAfter: (cursor: string) => setState({ key: resetKey, cursors: [...cursors, cursor] }),
  };
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

interface LastPage {
  fetching: boolean;
  error?: CombinedError;
  pageInfo?: { hasNextPage: boolean; endCursor?: string | null };
}

/** Below a paged list: loading, the error, "Load more", the empty state or the end. */
export function ListFooter({
  last,
  empty,
  onMore,
  emptyText,
  endText,
}: {
  last: LastPage;
  empty: boolean;
  onMore: (cursor: string) => void;
  emptyText: string;
  endText: string;
}) {
  if (last.error) return <p role="alert">{describeError(last.error)}</p>;
  if (!last.pageInfo) return <p className="loading">Loading…</p>;
  const { hasNextPage, endCursor } = last.pageInfo;
  if (hasNextPage && endCursor) {
    return (
      <p className="more">
        <button type="button" disabled={last.fetching} onClick={() => onMore(endCursor)}>
          Load more
        </button>
      </p>
    );
  }
  return <p className="end">{empty ? emptyText : endText}</p>;
}
