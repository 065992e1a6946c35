import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { Viewer } from '../auth/jwt.ts';
import { inTransaction } from '../db/pool.ts';
import {
  type BookingRow,
  applyBookingAction,
  insertBooking,
  listBookings,
  rescheduleBooking,
  validateWindow,
} from '../data/bookings.ts';
import { encodePageCursor } from '../data/pageCursor.ts';
import type { BookRow } from '../data/books.ts';
import { forbidden, notFound, unauthenticated } from '../errors.ts';
import type { Context } from '../context.ts';
import { Book, entityVersionDescription } from './book.ts';
import { builder } from './builder.ts';
import { idOf } from './globalId.ts';
import { forwardPage, pageKeyOf } from './pagination.ts';

export const BookingStatus = builder.enumType('BookingStatus', {
  values: ['PENDING', 'CONFIRMED', 'CANCELLED'] as const,
});
export const PaymentStatus = builder.enumType('PaymentStatus', {
  values: ['UNPAID', 'PAID', 'REFUNDED'] as const,
});

/** Bookings are private: only their owner and admins may see one. */
export function maySee(viewer: Viewer | null, booking: { user_id: string }): boolean {
  return viewer !== null && (viewer.role === 'admin' || viewer.id === booking.user_id);
}

const preloadedBook = (booking: BookingRow & { book?: BookRow | null }) => booking.book ?? null;

export const Booking = builder.node(builder.objectRef<BookingRow>('Booking'), {
  description: 'One copy of a book reserved by a user for a time range.',
  id: { resolve: (booking) => booking.id },
  loadMany: (ids, context) => Promise.all(ids.map((id) => context.loaders.booking.load(id))),
  authScopes: (booking, context) => maySee(context.viewer, booking),
  fields: (t) => ({
    book: t.field({
      type: Book,
      // A change event carries its book, read with the booking; queries load it in batches.
      resolve: async (booking, _args, context) =>
        preloadedBook(booking) ??
        (await context.loaders.book.load(booking.book_id)) ??
        Promise.reject(notFound('Book')),
    }),
    userId: t.exposeString('user_id', { description: 'The owner: `sub` of their token.' }),
    status: t.expose('status', { type: BookingStatus }),
    paymentStatus: t.expose('payment_status', { type: PaymentStatus }),
    startsAt: t.expose('starts_at', { type: 'DateTime' }),
    endsAt: t.expose('ends_at', { type: 'DateTime' }),
    version: t.exposeInt('version', { description: entityVersionDescription }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

const CreateBookingInput = builder.inputType('CreateBookingInput', {
  fields: (t) => ({
    bookId: t.id({ required: true }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
  }),
});

const UpdateBookingInput = builder.inputType('UpdateBookingInput', {
  description: 'A new time range; the booking keeps its copy only if one is free for all of it.',
  fields: (t) => ({
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
  }),
});

const windowRules = ({ limits }: Context) => ({
  startGraceSeconds: limits.bookingStartGraceSeconds,
  horizonDays: limits.bookingHorizonDays,
});

function signedInViewer(context: Context): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

builder.queryFields((t) => ({
  bookings: t.connection({
    type: Booking,
    description: "The viewer's own bookings, or every booking for an admin, oldest first.",
    authScopes: { signedIn: true },
    args: { status: t.arg({ type: BookingStatus }) },
    resolve: (_root, args, context) => {
      const viewer = signedInViewer(context);
      return resolveCursorConnection<Promise<(BookingRow & { created_micros: string })[]>>(
        {
          args,
          maxSize: 100,
          defaultSize: 20,
          toCursor: (row: BookingRow & { created_micros: string }) =>
            encodePageCursor(pageKeyOf(row)),
        },
        (page) =>
          listBookings(context.db, {
            ...forwardPage(page),
            ownerId: viewer.role === 'admin' ? null : viewer.id,
            status: args.status ?? undefined,
          }),
      );
    },
  }),
  booking: t.field({
    type: Booking,
    nullable: true,
    authScopes: { signedIn: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const booking = await context.loaders.booking.load(idOf(String(args.id), 'Booking', 'id'));
      if (booking && !maySee(context.viewer, booking))
        throw forbidden("see another user's booking");
      return booking;
    },
  }),
}));

const bookingAction = (action: 'confirm' | 'cancel' | 'pay', description: string, admin = false) =>
  builder.mutationField(`${action}Booking`, (t) =>
    t.field({
      type: Booking,
      description,
      authScopes: admin ? { admin: true } : { signedIn: true },
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args, context) => {
        const id = idOf(String(args.id), 'Booking', 'id');
        const viewer = signedInViewer(context);
        return inTransaction(context.db, (client) =>
          applyBookingAction(client, id, action, viewer),
        );
      },
    }),
  );

bookingAction('confirm', 'PENDING → CONFIRMED (admin).', true);
bookingAction(
  'cancel',
  'PENDING or CONFIRMED → CANCELLED (owner or admin); a PAID booking is REFUNDED.',
);
bookingAction('pay', 'UNPAID → PAID (owner), not once cancelled.');

builder.mutationFields((t) => ({
  createBooking: t.field({
    type: Booking,
    description:
      'Books one copy for the viewer; NO_COPY_AVAILABLE when none is free for the whole range.',
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: CreateBookingInput, required: true }) },
    resolve: (_root, { input }, context) => {
      const viewer = signedInViewer(context);
      const bookId = idOf(String(input.bookId), 'Book', 'input.bookId');
      const window = validateWindow(input, windowRules(context));
      return inTransaction(context.db, (client) =>
        insertBooking(
          client,
          { ...window, bookId, userId: viewer.id },
          context.limits.maxActiveBookingsPerUser,
        ),
      );
    },
  }),
  updateBooking: t.field({
    type: Booking,
    description: 'Moves an active booking to new dates (owner or admin), re-checking availability.',
    authScopes: { signedIn: true },
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateBookingInput, required: true }),
    },
    resolve: (_root, args, context) => {
      const viewer = signedInViewer(context);
      const id = idOf(String(args.id), 'Booking', 'id');
      const window = validateWindow(args.input, windowRules(context));
      return inTransaction(context.db, (client) =>
        rescheduleBooking(client, id, window, viewer, context.limits.maxActiveBookingsPerUser),
      );
    },
  }),
}));
