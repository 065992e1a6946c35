import type { BookRow } from '../data/books.ts';
import type { BookingRow } from '../data/bookings.ts';
import type { ChangeRecord, ChangedRows } from './changeLog.ts';
import { encodeCursor } from './position.ts';

/** A change as subscribers receive it: the log record plus the row as it is now (null if gone). */
export interface ChangeEvent extends ChangeRecord {
  /** The position as the client's cursor: made once, for every subscriber and transport. */
  cursor: string;
  book: BookRow | null;
  booking: (BookingRow & { book: BookRow | null }) | null;
}

export function toChangeEvent(change: ChangeRecord, rows: ChangedRows): ChangeEvent {
  const booking = change.entity === 'booking' ? rows.bookings.get(change.entityId) : undefined;
  return {
    ...change,
    cursor: encodeCursor(change.position),
    book: change.entity === 'book' ? (rows.books.get(change.entityId) ?? null) : null,
    booking: booking ? { ...booking, book: rows.books.get(booking.book_id) ?? null } : null,
  };
}
