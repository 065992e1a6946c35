import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { ChangeEvent } from '../realtime/changeEvent.ts';
import type { ChangeFilter } from '../realtime/changeFilter.ts';
import { bookingEvents, changeKinds } from '../realtime/changeLog.ts';
import type { StreamItem } from '../realtime/changeStream.ts';
import { decodeCursor } from '../realtime/position.ts';
import { reportSubscriptionEnd } from '../realtime/subscriptionEnd.ts';
import { Book } from './book.ts';
import { Booking } from './booking.ts';
import { builder } from './builder.ts';
import { encodeGlobalId } from './globalId.ts';

export const ChangeKind = builder.enumType('ChangeKind', { values: changeKinds });

export const BookingEvent = builder.enumType('BookingEvent', {
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

export const BookChange = builder.objectRef<ChangeEvent>('BookChange').implement({
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

export const BookingChange = builder.objectRef<ChangeEvent>('BookingChange').implement({
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
export function deliver<Delivered>(item: Delivered | DomainError, context: Context): Delivered {
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
export async function openStream(
  context: Context,
  filter: () => ChangeFilter | Promise<ChangeFilter>,
  after: string | null | undefined,
): Promise<AsyncIterable<StreamItem>> {
  // A plain EventSource that reconnects sends the last cursor it got as Last-Event-ID: newer
  // than an `after` in its URL, which it sends again on every reconnect.
  const cursor = context.lastEventId ?? after;
  const filtered = await filter();
  const ended = reportSubscriptionEnd(context);
  try {
    return await context.changes.subscribe(filtered, {
      after: cursor ? decodeCursor(cursor) : undefined,
      signal: context.signal,
      expiresAt: context.viewer?.expiresAt,
      onEnd: ended,
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // Over before it began: whoever waits for the end is told as the refusal is read.
    ended();
    return (async function* refused() {
      yield error;
    })();
  }
}
