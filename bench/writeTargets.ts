// What each write of the writes scenario changes: the books in turn, and bookings in hourly
// slots of their own, spread over many users.

/** Books seeded for the writes: more than are ever written at once, so no write waits on another's row. */
export const writeBooks = 256;
/**
 * Users the bookings are spread over, so that none holds many active bookings (each booking
 * counts them) and writes in flight at once never wait on one user's lock.
 */
export const bookingUsers = 1000;
/** Copies each book gets before the writes: far more than its bookings ever hold at once. */
export const copiesEach = 10_000;

const hourMs = 3_600_000;
/** Bookings may start at most a year ahead (BOOKING_HORIZON_DAYS): a few hours to spare. */
const lastSlot = 365 * 24 - 3;

export interface BookUpdate {
  bookId: string;
  copies: number;
}

export interface NewBooking {
  bookId: string;
  /** Which of the `bookingUsers` books it. */
  user: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Hands out the writes in order. Booking `n` takes book `n % writeBooks` for half an hour in
 * slot `n / writeBooks`, so no two bookings of one book overlap: the availability check stays as
 * cheap for the last booking as for the first, and no booking is refused for want of a copy.
 */
export class WriteTargets {
  private readonly bookIds: string[];
  private readonly firstSlot: number;
  private updates = 0;
  private bookings = 0;

  constructor(bookIds: string[]) {
    this.bookIds = bookIds;
    // Starts must not be in the past: the first slot is the hour after next.
    this.firstSlot = (Math.floor(Date.now() / hourMs) + 2) * hourMs;
  }

  nextUpdate(): BookUpdate {
    const n = this.updates++;
    return { bookId: this.bookIds[n % this.bookIds.length]!, copies: copiesEach - (n % 1000) };
  }

  nextBooking(): NewBooking {
    const n = this.bookings++;
    const slot = Math.floor(n / this.bookIds.length);
    if (slot > lastSlot) throw new Error('the writes ran out of booking slots within a year');
    const startsAt = this.firstSlot + slot * hourMs;
    return {
      bookId: this.bookIds[n % this.bookIds.length]!,
      user: n % bookingUsers,
      startsAt: new Date(startsAt),
      endsAt: new Date(startsAt + hourMs / 2),
    };
  }
}
