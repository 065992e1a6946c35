import { expect, test } from 'vitest';
import { bookingRange, checkDates, defaultDates } from './bookingDates.ts';

const now = new Date('2026-12-01T10:30:00');

test('a booking from today for two weeks is valid and starts now, not at a past midnight', () => {
  const { start, end } = defaultDates(now);
  expect([start, end]).toEqual(['2026-12-01', '2026-12-14']);
  expect(checkDates(start, end, now)).toEqual({});
  const range = bookingRange(start, end, now);
  expect(range.startsAt).toBe(now.toISOString());
  expect(range.endsAt).toBe(new Date('2026-12-15T00:00:00').toISOString());
});

test('dates the server would refuse are explained in words on the field at fault', () => {
  expect(checkDates('2026-11-30', '2026-12-03', now)).toEqual({
    startsAt: 'The first day cannot be in the past.',
  });
  expect(checkDates('2026-12-05', '2026-12-04', now)).toEqual({
    endsAt: 'The last day cannot be before the first day.',
  });
  expect(checkDates('2027-12-01', '2027-12-02', now).startsAt).toMatch(/within 365 days/);
  expect(checkDates('2026-12-01', '2027-03-01', now).endsAt).toMatch(/at most 90 days/);
  expect(checkDates('', '', now).startsAt).toMatch(/first day/);
});
