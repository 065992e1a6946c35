import type { Context } from '../context.ts';
import { DomainError, forbidden, notFound, unauthenticated } from '../errors.ts';
import type { ChangeEvent } from '../realtime/changeEvent.ts';
import type { ChangeFilter } from '../realtime/changeLog.ts';
import type { StreamItem } from '../realtime/changeStream.ts';
import { decodeCursor, encodeCursor } from '../realtime/position.ts';
import { Book } from './book.ts';
import { Booking, maySee } from './booking.ts';
import { builder } from './builder.ts';
import { encodeGlobalId, idOf } from './globalId.ts';

const ChangeKind = builder.enumType('ChangeKind', {
  values: ['CREATED', 'UPDATED', 'DELETED'] as const,
});

const changeFields = {
  cursor: 'Pass as `after` to resume right after this change, on any server instance.',
  at: 'When the change was written.',
};

const BookChange = builder.objectRef<ChangeEvent>('BookChange').implement({
  description: 'A book was created, updated (its availability included) or deleted.',
  fields: (t) => ({
    cursor: t.string({
      description: changeFields.cursor,
      resolve: (change) => encodeCursor(change.position),
    }),
    kind: t.expose('kind', { type: ChangeKind }),
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
      resolve: (change) => encodeCursor(change.position),
    }),
    kind: t.expose('kind', { type: ChangeKind }),
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
  try {
    return await context.changes.subscribe(await filter(), {
      after: after ? decodeCursor(after) : undefined,
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

async function bookingFilter(
  context: Context,
  id: string | null | undefined,
): Promise<ChangeFilter> {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  const filter: ChangeFilter = {
    entity: 'booking',
    ownerId: viewer.role === 'admin' ? undefined : viewer.id,
  };
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
    description: 'Changes to every book, or to the book `id`; from `after` when resuming.',
    args: { id: t.arg.id(), after: t.arg.string() },
    subscribe: (_root, args, context) =>
      openStream(
        context,
        () => ({
          entity: 'book',
          entityId: args.id == null ? undefined : idOf(String(args.id), 'Book', 'id'),
        }),
        args.after,
      ),
    resolve: (item: StreamItem, _args, context) => deliver(item, context),
  }),
  bookingChanged: t.field({
    type: BookingChange,
    description:
      "Changes to the viewer's bookings (every booking for an admin), or to booking `id`.",
    args: { id: t.arg.id(), after: t.arg.string() },
    subscribe: (_root, args, context) =>
      openStream(
        context,
        () => bookingFilter(context, args.id == null ? null : String(args.id)),
        args.after,
      ),
    resolve: (item: StreamItem, _args, context) => deliver(item, context),
  }),
}));
