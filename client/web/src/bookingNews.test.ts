import { expect, test } from 'vitest';
import { type BookingChange, bookingNews } from './bookingNews.ts';

const user = { userId: 'octavia', role: 'user' };
const admin = { userId: 'ada', role: 'admin' };

const change = (events: string[], owner = 'octavia'): BookingChange =>
  ({
    events,
    booking: {
      userId: owner,
      startsAt: '2026-12-03T00:00:00',
      endsAt: '2026-12-18T00:00:00',
      book: { title: 'Dune' },
    },
  }) as BookingChange;

test.each([
  [['CONFIRMED'], 'was confirmed.'],
  [['CANCELLED', 'REFUNDED'], 'was cancelled and refunded.'],
  [['RESCHEDULED'], 'was moved.'],
  [['PAID'], 'was paid.'],
])('a user is told their booking %j in words', (events, ending) => {
  const news = bookingNews(change(events), user)!;
  expect(news).toMatch(/^Your booking of Dune, .*3.*17.*, was /);
  expect(news.endsWith(ending)).toBe(true);
});

test("nobody is told of their own request, nor an admin of other people's confirmations", () => {
  expect(bookingNews(change(['REQUESTED']), user)).toBeNull();
  expect(bookingNews(change([]), user)).toBeNull();
  expect(bookingNews(change(['CONFIRMED'], 'someone'), admin)).toBeNull();
});

test('an admin is told of every new request', () => {
  expect(bookingNews(change(['REQUESTED'], 'octavia'), admin)).toMatch(
    /^New booking request: octavia asked for Dune, /,
  );
});
