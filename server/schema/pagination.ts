import type { ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { badInput } from '../errors.ts';
import { type PageKey, decodePageCursor } from '../data/pageCursor.ts';

/** Lists page forward only (`first`, `after`): the order is stable under concurrent inserts. */
export function forwardPage(page: ResolveCursorConnectionArgs): { after?: PageKey; limit: number } {
  if (page.before) throw badInput('before', 'page forward with first and after');
  if (page.inverted) throw badInput('last', 'page forward with first and after');
  return {
    after: page.after ? decodePageCursor(page.after, 'after') : undefined,
    limit: page.limit,
  };
}

export const pageKeyOf = (row: { created_micros: string; id: string }): PageKey => ({
  createdMicros: row.created_micros,
  id: row.id,
});
