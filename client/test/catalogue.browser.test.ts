import { beforeAll, expect, test } from 'vitest';
import { gqlOk, tokenFor } from '../../test/support.ts';
import { bookItem, notReloaded, pageFixture, shoot, within } from './browserSupport.ts';

const fixture = pageFixture();
const books = (page: import('playwright-core').Page) =>
  page.getByRole('list', { name: 'Books' }).getByRole('listitem');

beforeAll(async () => {
  // 150 books, "Book 001" the oldest, written with plain SQL as an import would.
  await fixture.database.sql.query(`
    INSERT INTO books (title, author, copies, created_at)
    SELECT format('Book %s', lpad(i::text, 3, '0')),
           (ARRAY['Ursula K. Le Guin', 'Octavia E. Butler', 'N. K. Jemisin'])[1 + i % 3],
           2, now() - (200 - i) * interval '1 second'
    FROM generate_series(1, 150) AS i`);
});

test('all 150 books are reachable a page at a time, and a book created on the page says where it went', async () => {
  const admin = await fixture.openPage({ token: await tokenFor('ada', 'admin') });
  await expect.poll(() => books(admin).count(), within).toBe(50);

  const form = admin.getByRole('form', { name: 'New book' });
  await form.getByLabel('Title').fill('Book 151');
  await form.getByLabel('Author').fill('Ursula K. Le Guin');
  await form.getByRole('button', { name: 'Create' }).click();
  await admin
    .getByRole('status', { name: 'Created' })
    .getByText('“Load more” reaches it')
    .waitFor(within);
  expect(await books(admin).count()).toBe(50);
  await shoot(admin, 'catalogue-first-page', { fullPage: false });

  await admin.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => books(admin).count(), within).toBe(100);
  await admin.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => books(admin).count(), within).toBe(150);
  // Book 151, created from the page, is all of the fourth page.
  await admin.getByRole('button', { name: 'Load more' }).click();
  await admin.getByText('That is the whole catalogue.').waitFor(within);
  expect(await books(admin).count()).toBe(151);
  expect(await books(admin).last().getAttribute('aria-label')).toBe('Book 151');

  // At the end of the list now, the next one created appears in place.
  await form.getByLabel('Title').fill('Book 152');
  await form.getByLabel('Author').fill('Ursula K. Le Guin');
  await form.getByRole('button', { name: 'Create' }).click();
  await bookItem(admin, 'Book 152').waitFor(within);
  expect(await books(admin).last().getAttribute('aria-label')).toBe('Book 152');
  await admin.getByRole('status', { name: 'Created' }).getByText('the last book').waitFor(within);
  await shoot(admin, 'catalogue-all-pages');
  expect(await notReloaded(admin)).toBe(true);
});

test('search narrows the catalogue on the server and its results follow live changes', async () => {
  const admin = await tokenFor('grace', 'admin');
  const reader = await fixture.openPage();
  await reader.getByRole('searchbox', { name: 'Search' }).fill('Book 14');
  await reader.getByText('Books matching “Book 14”').waitFor(within);
  await expect.poll(() => books(reader).count(), within).toBe(10);
  await reader.getByText('That is every match.').waitFor(within);
  await shoot(reader, 'search-results');

  const idOf = async (title: string) =>
    (
      await gqlOk<{ books: { nodes: { id: string }[] } }>(
        fixture.server,
        'query ($search: String) { books(first: 1, search: $search) { nodes { id } } }',
        { search: title },
      )
    ).books.nodes[0]!.id;
  const rename = async (id: string, title: string) =>
    gqlOk(
      fixture.server,
      'mutation ($id: ID!, $title: String!) { updateBook(id: $id, input: { title: $title }) { id } }',
      { id, title },
      admin,
    );
  await rename(await idOf('Book 141'), 'Novel 141');
  await bookItem(reader, 'Book 141').waitFor({ state: 'detached', ...within });
  await rename(await idOf('Book 005'), 'Book 14, the lost one');
  await bookItem(reader, 'Book 14, the lost one').waitFor(within);
  // In catalogue order: the renamed Book 005 is older than every Book 14x.
  expect(await books(reader).first().getAttribute('aria-label')).toBe('Book 14, the lost one');
  expect(await books(reader).count()).toBe(10);

  await reader.getByRole('searchbox', { name: 'Search' }).fill('no such book');
  await reader.getByText('No book matches “no such book”.').waitFor(within);
  expect(await notReloaded(reader)).toBe(true);
});

test.each(['ws', 'sse'] as const)(
  'a pasted "Bearer" token signs in; an invalid or expired one signs out and leaves the catalogue working (%s)',
  async (transport) => {
    const page = await fixture.openPage({ transport });
    const tokenField = page.getByPlaceholder('Bearer token');
    const badge = page.getByRole('status', { name: 'Connection' });

    await tokenField.fill(`Bearer ${await tokenFor('le-guin')}`);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('Signed in as le-guin (user)').waitFor(within);
    await badge.getByText('Live').waitFor(within);

    await tokenField.fill('not-a-token');
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('You were signed out').waitFor(within);
    await page.getByText('Browsing anonymously').waitFor(within);
    await badge.getByText('Live').waitFor(within);
    await expect.poll(() => books(page).count(), within).toBe(50);
    await shoot(page, `invalid-token-signed-out-${transport}`);

    await tokenField.fill(await tokenFor('butler', 'user', '5s'));
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('Signed in as butler (user)').waitFor(within);
    await page.getByText('You were signed out').waitFor(within);
    await page.getByText('Browsing anonymously').waitFor(within);
    await badge.getByText('Live').waitFor(within);
    expect(await books(page).count()).toBe(50);
    expect(await page.getByRole('heading', { name: 'My bookings' }).count()).toBe(0);
  },
);

test('the booking form explains bad dates in words, and errors stay with the form that caused them until it succeeds', async () => {
  const admin = await fixture.openPage({ token: await tokenFor('hopper', 'admin') });
  const item = bookItem(admin, 'Book 002');
  await item.getByRole('button', { name: 'Book a copy' }).click();
  const booking = item.getByRole('form', { name: 'Book Book 002' });
  const first = booking.getByLabel('First day');
  const last = booking.getByLabel('Last day');
  const start = await first.inputValue();
  const dayBefore = new Date(new Date(`${start}T12:00:00`).getTime() - 86_400_000);
  await last.fill(dayBefore.toISOString().slice(0, 10));
  await booking.getByRole('button', { name: 'Book', exact: true }).click();
  await booking.getByText('The last day cannot be before the first day.').waitFor(within);
  await shoot(admin, 'booking-form-error', { fullPage: false });
  await last.fill(start);
  await booking.getByRole('button', { name: 'Book', exact: true }).click();
  await item.getByText(/^Booked /).waitFor(within);
  expect(await item.getByRole('alert').count()).toBe(0);
  await admin
    .getByRole('list', { name: 'Bookings' })
    .getByRole('listitem', { name: 'Book 002 for hopper' })
    .getByText('PENDING')
    .waitFor(within);

  // The book is booked now: deleting it fails on its own row, and nowhere else.
  await item.getByRole('button', { name: 'Delete' }).click();
  await item.getByText('This book still has active bookings').waitFor(within);
  expect(await admin.getByRole('alert').count()).toBe(1);

  // A server-side field error lands on its field, in words, without the `input.isbn:` prefix.
  const form = admin.getByRole('form', { name: 'New book' });
  const createDune = async (title: string) => {
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Author').fill('Frank Herbert');
    await form.getByLabel('ISBN').fill('9780441172719');
    await form.getByRole('button', { name: 'Create' }).click();
  };
  await createDune('Dune');
  await admin.getByRole('status', { name: 'Created' }).getByText('“Dune”').waitFor(within);
  await createDune('Dune Messiah');
  const isbnError = form.getByText('Another book already has this ISBN');
  await isbnError.waitFor(within);
  expect(await form.getByText('input.isbn').count()).toBe(0);
  // The notice of the first success is gone with the failure that followed it.
  expect(await admin.getByRole('status', { name: 'Created' }).count()).toBe(0);
  expect(await form.getByLabel('ISBN').getAttribute('aria-invalid')).toBe('true');
  await shoot(admin, 'book-form-field-error', { fullPage: false });
  await form.getByLabel('ISBN').fill('');
  await form.getByRole('button', { name: 'Create' }).click();
  await isbnError.waitFor({ state: 'detached', ...within });
});

test('the bookings list pages like the catalogue', async () => {
  await fixture.database.sql.query(`
    INSERT INTO bookings (book_id, user_id, starts_at, ends_at, created_at)
    SELECT id, 'lovelace', now() + interval '1 day', now() + interval '3 days',
           now() - (100 - row_number() OVER (ORDER BY created_at)) * interval '1 second'
    FROM books WHERE title LIKE 'Book 1__' ORDER BY created_at LIMIT 25`);
  const page = await fixture.openPage({ token: await tokenFor('lovelace') });
  const bookings = page.getByRole('list', { name: 'Bookings' }).getByRole('listitem');
  await expect.poll(() => bookings.count(), within).toBe(20);
  await page.getByRole('button', { name: 'Load more' }).last().click();
  await page.getByText('That is every booking.').waitFor(within);
  expect(await bookings.count()).toBe(25);
});

test('the page has a favicon', async () => {
  const page = await fixture.openPage();
  const favicon = await page.request.get(new URL('/favicon.ico', fixture.server.url).toString());
  expect(favicon.status()).toBe(200);
  expect((await favicon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
});
