// The booking form's dates: whole days in the reader's time zone, checked before they are sent.

const dayMs = 86_400_000;
/** How far ahead a booking may start, and how long it may last (the server's defaults). */
export const horizonDays = 365;
export const maxBookingDays = 90;

/** `YYYY-MM-DD` of a local date, as `<input type="date">` holds it. */
export function dayOf(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const midnight = (day: string) => new Date(`${day}T00:00:00`);
const addDays = (day: string, days: number) =>
  dayOf(new Date(midnight(day).getTime() + days * dayMs + dayMs / 2));

export const defaultDates = (now: Date, loanDays = 14) => ({
  start: dayOf(now),
  end: addDays(dayOf(now), loanDays - 1),
});

export type DateField = 'startsAt' | 'endsAt';

/** What is wrong with the dates, in words, by field; empty when they can be sent. */
export function checkDates(
  start: string,
  end: string,
  now: Date,
): Partial<Record<DateField, string>> {
  const today = dayOf(now);
  if (!start) return { startsAt: 'Choose the first day of the booking.' };
  if (start < today) return { startsAt: 'The first day cannot be in the past.' };
  if (start > addDays(today, horizonDays - 1)) {
    return { startsAt: `A booking must start within ${horizonDays} days.` };
  }
  if (!end) return { endsAt: 'Choose the last day of the booking.' };
  if (end < start) return { endsAt: 'The last day cannot be before the first day.' };
  if (end > addDays(start, maxBookingDays - 1)) {
    return { endsAt: `A booking lasts at most ${maxBookingDays} days.` };
  }
  return {};
}

/**
 * The booking's range: from now when it starts today (a start in the past is refused), else from
 * the first day's midnight, to the midnight after the last day.
 */
export function bookingRange(start: string, end: string, now: Date) {
  const startsAt = start === dayOf(now) ? now : midnight(start);
  const endsAt = midnight(addDays(end, 1));
  return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}

/** "3–17 December 2026", for notices. */
export function describeRange(startsAt: string, endsAt: string): string {
  const format = (date: Date) =>
    date.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
  const last = new Date(new Date(endsAt).getTime() - 1);
  return `${format(new Date(startsAt))} – ${format(last)}`;
}
