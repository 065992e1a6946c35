// The page under test in Debian's Chromium: built from this checkout, served by a real server.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type ShelfwireServer, startServer } from '../../server/app.ts';
import { type TestDatabase, createTestDatabase, testSecret } from '../../test/support.ts';
import type { TransportName } from '../src/index.ts';
import { whenOpened } from '../../test/feedWaiters.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Where the tests' screenshots go (gitignored). */
export const screenshots = path.join(repoRoot, 'test-output', 'browser');
/** "Within seconds": how long a change may take to show on the other page. */
export const within = { timeout: 10_000 };

export interface PageOptions {
  /** Signs in by pasting this token into the token field. */
  token?: string;
  transport?: TransportName;
  on?: ShelfwireServer;
  /** Opens the page in this browser context (one person's browser: its local storage kept). */
  context?: BrowserContext;
}

/**
 * Registers the hooks of a browser test file: a page built into a temporary folder, a database
 * and a server of the file's own, Chromium; every page error fails the test that saw it.
 */
export function pageFixture() {
  const fixture = {
    database: undefined as unknown as TestDatabase,
    server: undefined as unknown as ShelfwireServer,
    pageDir: '',
    contexts: [] as BrowserContext[],
    openPage,
  };
  let browser: Browser | undefined;
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    fixture.pageDir = await mkdtemp(path.join(tmpdir(), 'shelfwire-page-'));
    // vitest sets NODE_ENV=test, under which Vite and the React plugin would build for development.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: path.join(repoRoot, 'client/web/vite.config.ts'),
        build: { outDir: fixture.pageDir, emptyOutDir: true },
        logLevel: 'warn',
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    fixture.database = await createTestDatabase();
    fixture.server = await startServer({
      databaseUrl: fixture.database.url,
      jwtSecret: testSecret,
      port: 0,
      host: '127.0.0.1',
      webPageDir: fixture.pageDir,
    });
    browser = await launchChromium();
    await mkdir(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await fixture.server?.close();
    await fixture.database?.drop();
    if (fixture.pageDir) await rm(fixture.pageDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const context of fixture.contexts.splice(0)) await context.close();
    expect(pageErrors.splice(0)).toEqual([]);
  });

  /**
   * Opens the page in a browser context of its own (its own session), signs in with `token`
   * through the token field, and waits until the server has opened the page's subscriptions.
   */
  async function openPage({ token, transport = 'ws', on, context }: PageOptions = {}) {
    const server = on ?? fixture.server;
    if (!context) {
      context = await browser!.newContext({ viewport: { width: 1100, height: 800 } });
      fixture.contexts.push(context);
    }
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    const before = server.changes.subscriptionsOpened;
    await page.goto(new URL(`/?transport=${transport}`, server.url).toString());
    let opened = 1; // bookChanged
    if (token) {
      await page.getByPlaceholder('Bearer token').fill(token);
      await page.getByRole('button', { name: 'Use token' }).click();
      opened += 2; // a new client signed in: bookChanged and bookingChanged
    }
    await whenOpened(server.changes, before + opened);
    await page.getByRole('status', { name: 'Connection' }).getByText('Live').waitFor(within);
    // A reload would drop this mark: the test checks that changes arrive without one.
    await page.evaluate(() => Object.assign(window, { openedOnce: true }));
    return page;
  }

  return fixture;
}

/** Debian's Chromium, headless, without the network chatter a first run makes. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

export const notReloaded = (page: Page) => page.evaluate(() => 'openedOnce' in window);
export const bookItem = (page: Page, title: string) =>
  page.getByRole('list', { name: 'Books' }).getByRole('listitem', { name: title, exact: true });
/** Saves a screenshot of the page (of what the window shows, unless `fullPage`). */
export const shoot = (page: Page, name: string, { fullPage = true } = {}) =>
  page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
