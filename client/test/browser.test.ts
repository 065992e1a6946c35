import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { type ShelfwireServer, startServer } from '../../server/app.ts';
import { DEV_SECRET } from '../../server/auth/jwt.ts';
import type { TransportName } from '../src/index.ts';
import {
  type TestDatabase,
  createTestDatabase,
  gqlOk,
  testSecret,
  tokenFor,
} from '../../test/support.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const screenshots = path.join(repoRoot, 'test-output', 'browser');
/** "Within seconds": how long a change may take to show on the other page. */
const within = { timeout: 10_000 };
const transports: TransportName[] = ['ws', 'sse'];

let database: TestDatabase;
let server: ShelfwireServer;
let browser: Browser;
let pageDir: string;
const contexts: BrowserContext[] = [];
/** Uncaught errors on any page: a test that saw one fails. */
const pageErrors: Error[] = [];

beforeAll(async () => {
  // The page under test is built from this checkout, not whatever client/web/dist holds.
  pageDir = await mkdtemp(path.join(tmpdir(), 'shelfwire-page-'));
  // vitest sets NODE_ENV=test, under which Vite and the React plugin would build for development.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(repoRoot, 'client/web/vite.config.ts'),
      build: { outDir: pageDir, emptyOutDir: true },
      logLevel: 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  database = await createTestDatabase();
  server = await startServer({
    databaseUrl: database.url,
    jwtSecret: testSecret,
    port: 0,
    host: '127.0.0.1',
    webPageDir: pageDir,
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
  if (pageDir) await rm(pageDir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  expect(pageErrors.splice(0)).toEqual([]);
});

interface PageOptions {
  /** Signs in by pasting this token into the token field. */
  token?: string;
  transport?: TransportName;
  on?: ShelfwireServer;
}

/**
 * Opens the page in a browser context of its own (its own session), signs in with `token` through
 * the token field, and waits until the server has opened the page's subscriptions.
 */
async function openPage({ token, transport = 'ws', on = server }: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  const before = on.changes.subscriptionsOpened;
  await page.goto(new URL(`/?transport=${transport}`, on.url).toString());
  let opened = 1; // bookChanged
  if (token) {
    await page.getByPlaceholder('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
    opened += 2; // a new client signed in: bookChanged and bookingChanged
  }
  await on.changes.whenOpened(before + opened);
  await page.getByRole('status', { name: 'Connection' }).getByText('Live').waitFor(within);
  // A reload would drop this mark: the test checks that changes arrive without one.
  await page.evaluate(() => Object.assign(window, { openedOnce: true }));
  return page;
}

const notReloaded = (page: Page) => page.evaluate(() => 'openedOnce' in window);
const bookItem = (page: Page, title: string) =>
  page.getByRole('list', { name: 'Books' }).getByRole('listitem', { name: title, exact: true });

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
    server,
    'mutation { createBook(input: { title: "The Left Hand of Darkness", author: "Ursula K. Le Guin", copies: 1 }) { id } }',
    {},
    admin,
  );
  const ownerPage = await openPage({ token: await tokenFor('genly') });
  const adminPage = await openPage({ token: admin });

  await bookItem(ownerPage, 'The Left Hand of Darkness')
    .getByRole('button', { name: 'Book a copy' })
    .click();
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
    databaseUrl: database.url,
    jwtSecret: DEV_SECRET,
    port: 0,
    host: '127.0.0.1',
    webPageDir: pageDir,
  });
  try {
    const devPage = await openPage({ on: devServer });
    const before = devServer.changes.subscriptionsOpened;
    await devPage.getByLabel('Name').fill('ursula');
    await devPage.getByRole('button', { name: 'Dev sign-in' }).click();
    await devPage.getByText('Signed in as ursula (admin)').waitFor(within);
    await devServer.changes.whenOpened(before + 2);
    expect(await devPage.getByRole('form', { name: 'New book' }).isVisible()).toBe(true);
  } finally {
    for (const context of contexts.splice(0)) await context.close();
    await devServer.close();
  }
});

test('dev sign-in explains itself when the server has its own secret', async () => {
  const page = await openPage();
  await page.getByRole('button', { name: 'Dev sign-in' }).click();
  await page.getByText('Dev sign-in is off').waitFor(within);
});
