import type { Viewer } from '../auth/jwt.ts';
import type { Queryable } from '../db/pool.ts';
import { DomainError, badInput, forbidden, limitExceeded, notFound } from '../errors.ts';
import {
  type BookingAction,
  type BookingStatus,
  type PaymentStatus,
  allows,
  bookingTransitions,
  mayTake,
  maxBookingDays,
} from './bookingRules.ts';
import { entityVersionSql } from './entityVersion.ts';
import { type PageKey, createdMicrosSql, microsToTimestampSql } from './pageCursor.ts';

export interface BookingRow {
  id: string;
  book_id: string;
  user_id: string;
  status: BookingStatus;
  payment_status: PaymentStatus;
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
  updated_at: Date;
  /** Its version in the change log: a change with a smaller one is older than this row. */
  version: number;
}

export interface BookingWindow {
  startsAt: Date;
  endsAt: Date;
}

export async function findBookings(db: Queryable, ids: readonly string[]): Promise<BookingRow[]> {
  const { rows } = await db.query<BookingRow>(
    `SELECT k.*, ${entityVersionSql('booking', 'k')} FROM bookings k WHERE k.id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

/** A booking just written, with the version its write counted (RETURNING runs before that). */
async function reread(db: Queryable, id: string): Promise<BookingRow> {
  return (await findBookings(db, [id]))[0]!;
}

/** One page of bookings in creation order: the owner's, or everyone's when `ownerId` is null. */
export async function listBookings(
  db: Queryable,
  page: { ownerId: string | null; status?: BookingStatus; after?: PageKey; limit: number },
): Promise<(BookingRow & { created_micros: string })[]> {
  const { rows } = await db.query<BookingRow & { created_micros: string }>(
    `SELECT b.*, ${createdMicrosSql('b')}, ${entityVersionSql('booking', 'b')} FROM bookings b
     WHERE ($1::text IS NULL OR user_id = $1)
       AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR (created_at, id) > (${microsToTimestampSql('$3')}, $4::uuid))
     ORDER BY created_at, id
     LIMIT $5`,
    [
      page.ownerId,
      page.status ?? null,
      page.after?.createdMicros ?? null,
      page.after?.id ?? null,
      page.limit,
    ],
  );
  return rows;
}

/**
 * Books one copy for the window. The book row is locked first, so concurrent bookings of the
 * same book queue up behind each other and each sees the ones committed before it.
 */
export async function insertBooking(
  db: Queryable,
  booking: BookingWindow & { bookId: string; userId: string },
  maxActivePerUser: number,
): Promise<BookingRow> {
  await assertBelowActiveCap(db, booking.userId, maxActivePerUser);
  await assertCopyAvailable(db, booking.bookId, booking);
  const { rows } = await db.query<BookingRow>(
    `INSERT INTO bookings (book_id, user_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)
     RETURNING id`,
    [booking.bookId, booking.userId, booking.startsAt, booking.endsAt],
  );
  return reread(db, rows[0]!.id);
}

/** Loads a booking for a change, locked, after checking the viewer may take `action` now. */
async function lockForAction(
  db: Queryable,
  id: string,
  action: BookingAction,
  viewer: Viewer,
): Promise<BookingRow> {
  const { rows } = await db.query<BookingRow>('SELECT * FROM bookings WHERE id = $1 FOR UPDATE', [
    id,
  ]);
  const booking = rows[0];
  if (!booking) throw notFound('Booking');
  if (viewer.role !== 'admin' && booking.user_id !== viewer.id) {
    throw forbidden("change another user's booking");
  }
  if (!mayTake(action, viewer, booking.user_id)) throw forbidden(`${action} this booking`);
  if (!allows(action, { status: booking.status, paymentStatus: booking.payment_status })) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `Cannot ${action} a booking that is ${booking.status} and ${booking.payment_status}.`,
      { status: booking.status, paymentStatus: booking.payment_status },
    );
  }
  return booking;
}

/** Confirms, cancels or pays a booking, following the transition table. */
export async function applyBookingAction(
  db: Queryable,
  id: string,
  action: Exclude<BookingAction, 'reschedule'>,
  viewer: Viewer,
): Promise<BookingRow> {
  const booking = await lockForAction(db, id, action, viewer);
  const next = bookingTransitions[action].to(booking.payment_status);
  await db.query(
    `UPDATE bookings SET status = $2, payment_status = $3, updated_at = now() WHERE id = $1`,
    [id, next.status ?? booking.status, next.paymentStatus ?? booking.payment_status],
  );
  return reread(db, id);
}

/** Moves an active booking to a new window, re-checking availability without counting itself. */
export async function rescheduleBooking(
  db: Queryable,
  id: string,
  window: BookingWindow,
  viewer: Viewer,
  maxActivePerUser: number,
): Promise<BookingRow> {
  // Lock in the same order as insertBooking (the user, then the book, then the booking), so the
  // two never deadlock.
  const { rows: owner } = await db.query<{ book_id: string; user_id: string; ended: boolean }>(
    'SELECT book_id, user_id, ends_at <= now() AS ended FROM bookings WHERE id = $1',
    [id],
  );
  // A booking that has ended no longer counts as active: moved into the future, it would again.
  if (owner[0]?.ended) await assertBelowActiveCap(db, owner[0].user_id, maxActivePerUser);
  if (owner[0]) await lockBook(db, owner[0].book_id);
  const booking = await lockForAction(db, id, 'reschedule', viewer);
  await assertCopyAvailable(db, booking.book_id, window, id);
  await db.query(
    'UPDATE bookings SET starts_at = $2, ends_at = $3, updated_at = now() WHERE id = $1',
    [id, window.startsAt, window.endsAt],
  );
  return reread(db, id);
}

async function lockBook(db: Queryable, bookId: string): Promise<{ copies: number }> {
  const { rows } = await db.query<{ copies: number }>(
    'SELECT copies FROM books WHERE id = $1 FOR UPDATE',
    [bookId],
  );
  if (!rows[0]) throw notFound('Book');
  return rows[0];
}

/**
 * Refuses to lower a book's copies below what its active bookings hold at once from now on
 * (`input.copies`), which would leave it overbooked. Locks the book row, as a new booking does,
 * so no booking slips in between the check and the update.
 */
export async function assertCopiesCoverBookings(
  db: Queryable,
  bookId: string,
  copies: number,
): Promise<void> {
  await lockBook(db, bookId);
  const { rows } = await db.query<{ peak: number }>(
    `WITH active AS (
       SELECT starts_at, ends_at FROM bookings
       WHERE book_id = $1 AND status IN ('PENDING', 'CONFIRMED') AND ends_at > now()
     ), moments AS (
       SELECT now() AS at UNION SELECT starts_at FROM active WHERE starts_at > now()
     )
     SELECT coalesce(max((SELECT count(*) FROM active WHERE starts_at <= at AND ends_at > at)), 0)::int
       AS peak
     FROM moments`,
    [bookId],
  );
  const peak = rows[0]!.peak;
  if (copies < peak) {
    throw badInput('input.copies', `at least ${peak}: active bookings hold that many at once`);
  }
}

/**
 * Refuses with NO_COPY_AVAILABLE when, at some moment of the window, the book's active bookings
 * (other than `exceptId`) already hold every copy. The peak of overlapping intervals is reached at
 * the window's start or at the start of one of the bookings inside it, so only those are counted.
 */
async function assertCopyAvailable(
  db: Queryable,
  bookId: string,
  window: BookingWindow,
  exceptId: string | null = null,
): Promise<void> {
  const { copies } = await lockBook(db, bookId);
  const { rows } = await db.query<{ peak: number }>(
    `WITH active AS (
       SELECT starts_at, ends_at FROM bookings
       WHERE book_id = $1 AND status IN ('PENDING', 'CONFIRMED')
         AND id IS DISTINCT FROM $4::uuid AND starts_at < $3 AND ends_at > $2
     ), moments AS (
       SELECT $2::timestamptz AS at UNION SELECT starts_at FROM active WHERE starts_at > $2
     )
     SELECT coalesce(max((SELECT count(*) FROM active WHERE starts_at <= at AND ends_at > at)), 0)::int
       AS peak
     FROM moments`,
    [bookId, window.startsAt, window.endsAt, exceptId],
  );
  if (rows[0]!.peak >= copies) {
    throw new DomainError(
      'NO_COPY_AVAILABLE',
      'No copy of this book is free for the whole of the requested time.',
    );
  }
}

/**
 * Refuses a new booking when the user already holds `max` active ones. The user's advisory lock
 * (taken before the book's row lock, always in that order) makes concurrent requests count in
 * turn, so two at once cannot both take the last place.
 */
async function assertBelowActiveCap(db: Queryable, userId: string, max: number): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('bookings of ' || $1))`, [userId]);
  const { rows } = await db.query<{ active: number }>(
    `SELECT count(*)::int AS active FROM bookings
     WHERE user_id = $1 AND status IN ('PENDING', 'CONFIRMED') AND ends_at > now()`,
    [userId],
  );
  if (rows[0]!.active >= max) throw limitExceeded('active bookings per user', max);
}

/** When a booking may start: not in the past (bar a little grace), not too far ahead. */
export interface WindowRules {
  startGraceSeconds: number;
  horizonDays: number;
}

/** Checks a window against the booking rules; errors name the field of the mutation input. */
export function validateWindow(
  window: BookingWindow,
  rules: WindowRules,
  now = Date.now(),
): BookingWindow {
  if (window.startsAt.getTime() < now - rules.startGraceSeconds * 1000) {
    throw badInput('input.startsAt', 'must not be in the past');
  }
  if (window.startsAt.getTime() > now + rules.horizonDays * 86_400_000) {
    throw badInput('input.startsAt', `must be within ${rules.horizonDays} days from now`);
  }
  if (window.endsAt <= window.startsAt) throw badInput('input.endsAt', 'must be after startsAt');
  if (window.endsAt.getTime() - window.startsAt.getTime() > maxBookingDays * 86_400_000) {
    throw badInput('input.endsAt', `a booking lasts at most ${maxBookingDays} days`);
  }
  return { startsAt: window.startsAt, endsAt: window.endsAt };
}
