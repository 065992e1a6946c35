// Subscription filters: what a client may ask for, checked and bounded before any work, and
// turned into the feed's ChangeFilter (realtime/changeFilter.ts) within what the viewer may see.
import { z } from 'zod';
import type { Context } from '../context.ts';
import { forbidden, notFound, unauthenticated } from '../errors.ts';
import { type ChangeFilter, searchTerm } from '../realtime/changeFilter.ts';
import { maxSearchLength, nonBlank } from './book.ts';
import { BookingStatus, maySee } from './booking.ts';
import { builder } from './builder.ts';
import { BookingEvent, ChangeKind } from './changes.ts';
import { idOf } from './globalId.ts';

/** How many values one list of a subscription filter may hold. */
export const maxFilterValues = 100;
const filterList = <Item extends z.ZodType>(item: Item) =>
  z
    .array(item)
    .min(1, 'leave the field out to match every change')
    .max(maxFilterValues, `at most ${maxFilterValues} values`);
/** Text compared with what the log holds, as a book's own text fields, and on one line. */
const plainText = (max: number) =>
  nonBlank(max)
    // A line break would let a search match across a title and its author.
    .refine((text) => !/\p{Cc}/u.test(text), 'must not contain control characters');
const searchText = plainText(maxSearchLength);

const filterDescription =
  'Only the changes that match every field given; a list matches any of its values. Decided ' +
  'at the server from the entity as it was at the change, live and on replay alike, and always ' +
  'within what the viewer may see.';

export const BookChangeFilter = builder.inputType('BookChangeFilter', {
  description: filterDescription,
  fields: (t) => ({
    ids: t.idList({ validate: filterList(z.union([z.string(), z.number()])) }),
    search: t.string({
      description: 'The title or the author contains this text, ignoring case.',
      validate: searchText,
    }),
    authors: t.stringList({
      description: 'Written by one of these authors, spelled exactly.',
      validate: filterList(plainText(200)),
    }),
    kinds: t.field({ type: [ChangeKind], validate: filterList(z.string()) }),
  }),
});

export const BookingChangeFilter = builder.inputType('BookingChangeFilter', {
  description: filterDescription,
  fields: (t) => ({
    bookIds: t.idList({
      description: 'Bookings of one of these books.',
      validate: filterList(z.union([z.string(), z.number()])),
    }),
    statuses: t.field({
      type: [BookingStatus],
      description: 'The booking had one of these statuses after the change.',
      validate: filterList(z.string()),
    }),
    events: t.field({
      type: [BookingEvent],
      description: 'The change was one of these events (any of them, for a change of several).',
      validate: filterList(z.string()),
    }),
  }),
});

type BookChangeFilterInput = typeof BookChangeFilter.$inferInput;
type BookingChangeFilterInput = typeof BookingChangeFilter.$inferInput;

const bookIdsOf = (ids: readonly (string | number)[], field: string) =>
  ids.map((id) => idOf(String(id), 'Book', field));

export async function bookFilter(
  context: Context,
  id: string | null | undefined,
  chosen: BookChangeFilterInput | null | undefined,
): Promise<ChangeFilter> {
  const filter: ChangeFilter = {
    entity: 'book',
    entityId: id == null ? undefined : idOf(id, 'Book', 'id'),
  };
  if (chosen?.ids) filter.ids = bookIdsOf(chosen.ids, 'filter.ids');
  if (chosen?.authors) filter.authors = chosen.authors;
  if (chosen?.kinds) filter.kinds = chosen.kinds;
  if (chosen?.search != null) filter.search = await searchTerm(context.db, chosen.search);
  return filter;
}

export async function bookingFilter(
  context: Context,
  id: string | null | undefined,
  chosen: BookingChangeFilterInput | null | undefined,
): Promise<ChangeFilter> {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  // The owner criterion comes first and always: a filter can only narrow what the viewer sees.
  const filter: ChangeFilter = {
    entity: 'booking',
    ownerId: viewer.role === 'admin' ? undefined : viewer.id,
  };
  if (chosen?.bookIds) filter.bookIds = bookIdsOf(chosen.bookIds, 'filter.bookIds');
  if (chosen?.statuses) filter.statuses = chosen.statuses;
  if (chosen?.events) filter.events = chosen.events;
  if (id == null) return filter;
  filter.entityId = idOf(id, 'Booking', 'id');
  const booking = await context.loaders.booking.load(filter.entityId);
  if (!booking) throw notFound('Booking');
  if (!maySee(viewer, booking)) throw forbidden("watch another user's booking");
  return filter;
}
