import path from 'node:path';
import { expect, test } from 'vitest';
import { startServer } from '../../server/app.ts';
import { DEV_SECRET } from '../../server/auth/jwt.ts';
import type { TransportName } from '../src/index.ts';
import { gqlOk, tokenFor } from '../../test/support.ts';
import { bookItem, notReloaded, pageFixture, screenshots, within } from './browserSupport.ts';
import { whenOpened } from '../../test/feedWaiters.ts';

const transports: TransportName[] = ['ws', 'sse'];
const fixture = pageFixture();
const openPage = fixture.openPage;

test.each(transports)(
  'a book created, edited and deleted on one page appears, changes and disappears on the other without reload (%s)',
  async (transport) => {
    const adminPage = await openPage({ token: await tokenFor('ada', 'admin'), transport });
    const readerPage = await openPage({ transport });

    const form = adminPage.getByRole('form', { name: 'New book' });
    await form.getByLabel('Title').fill('The Dispossessed');
    await form.getByLabel('Author').fill('Ursula K. Le Guin');
    await form.getByLabel('Copies').fill('2');
    await form.getByRole('button', { name: 'Create' }).click();
    const created = bookItem(readerPage, 'The Dispossessed');
    await created.waitFor(within);
    expect(await created.textContent()).toContain('2 of 2 available');

    await bookItem(adminPage, 'The Dispossessed').getByRole('button', { name: 'Edit' }).click();
    const edit = adminPage.getByRole('form', { name: 'Edit The Dispossessed' });
    await edit.getByLabel('Title').fill('The Dispossessed: An Ambiguous Utopia');
    await edit.getByLabel('Copies').fill('3');
    await edit.getByRole('button', { name: 'Save' }).click();
    const edited = bookItem(readerPage, 'The Dispossessed: An Ambiguous Utopia');
    await edited.waitFor(within);
    expect(await edited.textContent()).toContain('3 of 3 available');
    await created.waitFor({ state: 'detached', ...within });
    await adminPage.screenshot({
      path: path.join(screenshots, `admin-after-edit-${transport}.png`),
      fullPage: true,
    });
    await readerPage.screenshot({
      path: path.join(screenshots, `reader-after-edit-${transport}.png`),
      fullPage: true,
    });

    await bookItem(adminPage, 'The Dispossessed: An Ambiguous Utopia')
      .getByRole('button', { name: 'Delete' })
      .click();
    await edited.waitFor({ state: 'detached', ...within });
    expect(await notReloaded(readerPage)).toBe(true);
    expect(await notReloaded(adminPage)).toBe(true);
  },
);

test("a booking cancelled by an admin changes status on its owner's page", async () => {
  const admin = await tokenFor('grace', 'admin');
  await gqlOk(
    fixture.server,
    'mutation { createBook(input: { title: "The Left Hand of Darkness", author: "Ursula K. Le Guin", copies: 1 }) { id } }',
    {},
    admin,
  );
  const ownerPage = await openPage({ token: await tokenFor('genly') });
  const adminPage = await openPage({ token: admin });

  const item = bookItem(ownerPage, 'The Left Hand of Darkness');
  await item.getByRole('button', { name: 'Book a copy' }).click();
  await item.getByRole('button', { name: 'Book', exact: true }).click();
  await item.getByText(/^Booked /).waitFor(within);
  const owned = ownerPage
    .getByRole('list', { name: 'Bookings' })
    .getByRole('listitem', { name: 'The Left Hand of Darkness for genly' });
  await owned.getByText('PENDING').waitFor(within);
  await owned.getByRole('button', { name: 'Pay' }).click();
  await owned.getByText('PAID', { exact: true }).waitFor(within);
  // Availability on the admin's page follows the booking too.
  await bookItem(adminPage, 'The Left Hand of Darkness')
    .getByText('0 of 1 available')
    .waitFor(within);

  await adminPage
    .getByRole('list', { name: 'Bookings' })
    .getByRole('listitem', { name: 'The Left Hand of Darkness for genly' })
    .getByRole('button', { name: 'Cancel' })
    .click();
  await owned.getByText('CANCELLED').waitFor(within);
  await owned.getByText('REFUNDED').waitFor(within);
  await bookItem(ownerPage, 'The Left Hand of Darkness')
    .getByText('1 of 1 available')
    .waitFor(within);
  await ownerPage.screenshot({
    path: path.join(screenshots, 'owner-after-cancel.png'),
    fullPage: true,
  });
  expect(await notReloaded(ownerPage)).toBe(true);
});

test('dev sign-in signs the page in as an admin when the server runs with the dev secret', async () => {
  const devServer = await startServer({
    databaseUrl: fixture.database.url,
    jwtSecret: DEV_SECRET,
    port: 0,
    host: '127.0.0.1',
    webPageDir: fixture.pageDir,
  });
  try {
    const devPage = await openPage({ on: devServer });
    const before = devServer.changes.subscriptionsOpened;
    await devPage.getByLabel('Name').fill('ursula');
    await devPage.getByRole('button', { name: 'Dev sign-in' }).click();
    await devPage.getByText('Signed in as ursula (admin)').waitFor(within);
    await whenOpened(devServer.changes, before + 2);
    expect(await devPage.getByRole('form', { name: 'New book' }).isVisible()).toBe(true);
  } finally {
    for (const context of fixture.contexts.splice(0)) await context.close();
    await devServer.close();
  }
});

test('dev sign-in explains itself when the server has its own secret', async () => {
  const page = await openPage();
  await page.getByRole('button', { name: 'Dev sign-in' }).click();
  await page.getByText('Dev sign-in is off').waitFor(within);
});
