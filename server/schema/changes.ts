import type { Context } from '../context.ts';
import { DomainError, forbidden, notFound, unauthenticated } from '../errors.ts';
import type { ChangeEvent } from '../realtime/changeEvent.ts';
import { z } from 'zod';
import { type ChangeFilter, searchTerm } from '../realtime/changeFilter.ts';
import { bookingEvents, changeKinds } from '../realtime/changeLog.ts';
import type { StreamItem } from '../realtime/changeStream.ts';
import { decodeCursor } from '../realtime/position.ts';
import { Book, maxSearchLength } from './book.ts';
import { Booking, BookingStatus, maySee } from './booking.ts';
import { builder } from './builder.ts';
import { encodeGlobalId, idOf } from './globalId.ts';

const ChangeKind = builder.enumType('ChangeKind', { values: changeKinds });

const BookingEvent = builder.enumType('BookingEvent', {
  description: 'What happened to a booking, recorded by the database as it happened.',
  values: bookingEvents,
});

const changeFields = {
  cursor: 'Pass as `after` to resume right after this change, on any server instance.',
  at: 'When the change was written.',
  version:
    "The entity's version after this change, counting from 1: one entity's changes always " +
    'arrive in version order, so a change older than the version a client holds is stale.',
  changedFields:
    'The names of the fields whose value this change moved: every field when created, none ' +
    'when deleted.',
};

const BookChange = builder.objectRef<ChangeEvent>('BookChange').implement({
  description: 'A book was created, updated (its availability included) or deleted.',
  fields: (t) => ({
    cursor: t.string({
      description: changeFields.cursor,
      resolve: (change) => change.cursor,
    }),
    kind: t.expose('kind', { type: ChangeKind }),
    changedFields: t.stringList({
      description: `${changeFields.changedFields} \`available\` is among them when a booking took or gave back a copy, or a booking's start or end passed.`,
      resolve: (change) => change.changedFields,
    }),
    version: t.int({ description: changeFields.version, resolve: (change) => change.version }),
    bookId: t.id({ resolve: (change) => encodeGlobalId('Book', change.entityId) }),
    book: t.field({
      type: Book,
      nullable: true,
      description: 'The book as it is now; null once deleted.',
      resolve: (change) => change.book,
    }),
    at: t.expose('at', { type: 'DateTime', description: changeFields.at }),
  }),
});

const BookingChange = builder.objectRef<ChangeEvent>('BookingChange').implement({
  description: 'A booking was created, or changed status, payment or dates, or was deleted.',
  fields: (t) => ({
    cursor: t.string({
      description: changeFields.cursor,
      resolve: (change) => change.cursor,
    }),
    kind: t.expose('kind', { type: ChangeKind }),
    events: t.field({
      type: [BookingEvent],
      description:
        'What happened, in the order it happened: a cancel that refunds a paid booking is ' +
        '`[CANCELLED, REFUNDED]`; empty when only other fields changed. On replay, each change ' +
        'keeps its own events, while `booking` is the booking as it is now.',
      resolve: (change) => change.events,
    }),
    changedFields: t.stringList({
      description: changeFields.changedFields,
      resolve: (change) => change.changedFields,
    }),
    version: t.int({ description: changeFields.version, resolve: (change) => change.version }),
    bookingId: t.id({ resolve: (change) => encodeGlobalId('Booking', change.entityId) }),
    booking: t.field({
      type: Booking,
      nullable: true,
      description: 'The booking as it is now; null once deleted.',
      resolve: (change) => change.booking,
    }),
    at: t.expose('at', { type: 'DateTime', description: changeFields.at }),
  }),
});

/** The payload of one delivery; an error item (too slow, expired) ends the subscription. */
function deliver(item: StreamItem, context: Context): ChangeEvent {
  if (item instanceof DomainError) throw item;
  // One context serves every event of a subscription: forget what earlier events loaded.
  context.loaders.clearAll();
  return item;
}

/**
 * Opens a change stream; a refusal (bad cursor, expired cursor, forbidden id) becomes the
 * stream's one and only item, delivered as a result with errors. Thrown from `subscribe`, the
 * single-connection SSE handler would answer it with HTTP 400 and no error code for the client.
 */
async function openStream(
  context: Context,
  filter: () => ChangeFilter | Promise<ChangeFilter>,
  after: string | null | undefined,
): Promise<AsyncIterable<StreamItem>> {
  // A plain EventSource that reconnects sends the last cursor it got as Last-Event-ID.
  const cursor = after ?? context.lastEventId;
  try {
    return await context.changes.subscribe(await filter(), {
      after: cursor ? decodeCursor(cursor) : undefined,
      signal: context.signal,
      expiresAt: context.viewer?.expiresAt,
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return (async function* refused() {
      yield error;
    })();
  }
}

/** How many values one list of a subscription filter may hold. */
export const maxFilterValues = 100;
const filterList = <Item extends z.ZodType>(item: Item) =>
  z
    .array(item)
    .min(1, 'leave the field out to match every change')
    .max(maxFilterValues, `at most ${maxFilterValues} values`);
const searchText = z
  .string()
  .max(maxSearchLength, `at most ${maxSearchLength} characters`)
  .refine((text) => text.trim() !== '', 'must not be blank')
  // A line break would let a term match across a title and its author.
  .refine((text) => !/\p{Cc}/u.test(text), 'must not contain control characters');

const filterDescription =
  'Only the changes that match every field given; a list matches any of its values. Decided ' +
  'at the server from the entity as it was at the change, live and on replay alike, and always ' +
  'within what the viewer may see.';

const BookChangeFilter = builder.inputType('BookChangeFilter', {
  description: filterDescription,
  fields: (t) => ({
    ids: t.idList({ validate: filterList(z.union([z.string(), z.number()])) }),
    search: t.string({
      description: 'The title or the author contains this text, ignoring case.',
      validate: searchText,
    }),
    authors: t.stringList({
      description: 'Written by one of these authors, spelled exactly.',
      validate: filterList(z.string().max(200)),
    }),
    kinds: t.field({ type: [ChangeKind], validate: filterList(z.string()) }),
  }),
});

const BookingChangeFilter = builder.inputType('BookingChangeFilter', {
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

async function bookFilter(
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

async function bookingFilter(
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

builder.subscriptionFields((t) => ({
  bookChanged: t.field({
    type: BookChange,
    description:
      'Changes to every book, or to the book `id`, or those matching `filter`; from `after` ' +
      'when resuming.',
    args: { id: t.arg.id(), after: t.arg.string(), filter: t.arg({ type: BookChangeFilter }) },
    subscribe: (_root, args, context) =>
      openStream(
        context,
        () => bookFilter(context, args.id == null ? null : String(args.id), args.filter),
        args.after,
      ),
    resolve: (item: StreamItem, _args, context) => deliver(item, context),
  }),
  bookingChanged: t.field({
    type: BookingChange,
    description:
      "Changes to the viewer's bookings (every booking for an admin), or to booking `id`, or " +
      'those matching `filter`.',
    args: { id: t.arg.id(), after: t.arg.string(), filter: t.arg({ type: BookingChangeFilter }) },
    subscribe: (_root, args, context) =>
      openStream(
        context,
        () => bookingFilter(context, args.id == null ? null : String(args.id), args.filter),
        args.after,
      ),
    resolve: (item: StreamItem, _args, context) => deliver(item, context),
  }),
}));
