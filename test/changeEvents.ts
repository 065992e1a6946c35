// Change events for unit tests of the realtime core: book `id-<seq>` updated at position 1.<seq>.
import type { ChangeEvent } from '../server/realtime/changeEvent.ts';

export const bookUpdate = (seq: number): ChangeEvent => ({
  position: { tx: 1n, seq: BigInt(seq) },
  cursor: `cursor-${seq}`,
  entity: 'book',
  entityId: `id-${seq}`,
  kind: 'UPDATED',
  ownerId: null,
  at: new Date(0),
  version: seq,
  events: [],
  changedFields: ['title'],
  bookId: null,
  status: null,
  author: 'An Author',
  searchText: `title ${seq}\nan author`,
  book: null,
  booking: null,
});
