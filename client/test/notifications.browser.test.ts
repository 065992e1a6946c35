// Booking news on the page: a user books, an admin confirms, the user is told in words; the user
// closes the page, the admin cancels, and the user's next visit lists it under "While you were away".
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { gqlOk, tokenFor } from '../../test/support.ts';
import { bookItem, pageFixture, shoot, within } from './browserSupport.ts';

const fixture = pageFixture();

const bookingOf = (page: Page, title: string, user: string) =>
  page
    .getByRole('list', { name: 'Bookings' })
    .getByRole('listitem', { name: `${title} for ${user}` });

test('a user hears that their booking was confirmed, and on the next visit that it was cancelled meanwhile', async () => {
  const adminToken = await tokenFor('ada', 'admin');
  const userToken = await tokenFor('octavia');
  await gqlOk(
    fixture.server,
    'mutation { createBook(input: { title: "Kindred", author: "Octavia E. Butler", copies: 1 }) { id } }',
    {},
    adminToken,
  );
  const admin = await fixture.openPage({ token: adminToken });
  const user = await fixture.openPage({ token: userToken });

  const item = bookItem(user, 'Kindred');
  await item.getByRole('button', { name: 'Book a copy' }).click();
  await item.getByRole('button', { name: 'Book', exact: true }).click();
  // The admin is told of the request, in words.
  const request = admin
    .getByRole('list', { name: 'Notifications' })
    .getByText(/New booking request: octavia asked for Kindred/);
  await request.waitFor(within);
  await shoot(admin, 'notification-new-request', { fullPage: false });

  await bookingOf(admin, 'Kindred', 'octavia').getByRole('button', { name: 'Confirm' }).click();
  const confirmed = user
    .getByRole('list', { name: 'Notifications' })
    .getByRole('status')
    .filter({ hasText: /Your booking of Kindred, .+, was confirmed\./ });
  await confirmed.waitFor(within);
  await shoot(user, 'notification-confirmed', { fullPage: false });

  // The user leaves; the admin cancels meanwhile.
  const browser = user.context();
  await user.close();
  await bookingOf(admin, 'Kindred', 'octavia').getByRole('button', { name: 'Cancel' }).click();
  await bookingOf(admin, 'Kindred', 'octavia').locator('[data-status="CANCELLED"]').waitFor(within);

  const back = await fixture.openPage({ token: userToken, context: browser });
  const away = back.getByRole('list', { name: 'While you were away' });
  await away.getByText(/Your booking of Kindred, .+, was cancelled\./).waitFor(within);
  // Only what happened meanwhile: the confirmation was seen on the last visit.
  expect(await away.getByRole('listitem').count()).toBe(1);
  // What happened meanwhile is news of the past, not a live notification.
  expect(await back.getByRole('list', { name: 'Notifications' }).getByRole('status').count()).toBe(
    0,
  );
  await shoot(back, 'while-you-were-away', { fullPage: false });
});
