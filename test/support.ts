// Shared test fixtures: a database per test file, servers, tokens and protocol clients.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import getPort from 'get-port';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import WebSocket from 'ws';
import { type ShelfwireServer, startServer } from '../server/app.ts';
import { type Role, signToken } from '../server/auth/jwt.ts';
import { defaultConfig } from '../server/config.ts';
import { migrateUp } from '../server/db/migrate.ts';
import { whenCaughtUp, whenOpened } from './feedWaiters.ts';

export const testSecret = 'shelfwire-test-secret';

export interface TestDatabase {
  url: string;
  /** Runs SQL as a plain client would, outside the API. */
  sql: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own, so test files run in parallel and leave nothing. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `shelfwire_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateUp(url.toString());
  const sql = new pg.Pool({ connectionString: url.toString(), max: 4 });
  sql.on('error', () => undefined);
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.end();
      const dropper = new pg.Client(adminUrl);
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A server on the test database; `settings` are environment variables as in the README. */
export function startTestServer(
  database: TestDatabase,
  settings: Record<string, string> = {},
): Promise<ShelfwireServer> {
  return startServer({
    databaseUrl: database.url,
    jwtSecret: testSecret,
    port: 0,
    host: '127.0.0.1',
    config: defaultConfig(settings),
  });
}

/**
 * A migrated database and a server of the test file's own: created before its tests, stopped and
 * dropped after them. Read `fixture.server` and `fixture.database` inside tests and hooks.
 */
export function serverPerFile(options: Parameters<typeof startTestServer>[1] = {}) {
  let database: TestDatabase | undefined;
  let server: ShelfwireServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database, options);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });
  return {
    get server(): ShelfwireServer {
      return server!;
    },
    get database(): TestDatabase {
      return database!;
    },
  };
}

export const tokenFor = (sub: string, role: Role = 'user', expiresIn?: string) =>
  signToken(testSecret, { sub, role, expiresIn });

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/** A GraphQL request over plain HTTP, as an integrator would send it. */
export async function gql<T = Record<string, any>>(
  server: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T> & { status: number }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as GraphQLResponse<T>) };
}

/** Runs `query`, failing the test with the errors if there are any. */
export async function gqlOk<T = Record<string, any>>(
  server: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const result = await gql<T>(server, query, variables, token);
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** The code of the first error: the assertion most error tests make. */
export const errorCode = (result: GraphQLResponse) => result.errors?.[0]?.extensions?.code;

export type Transport = 'ws' | 'sse-distinct' | 'sse-single';
export const transports: Transport[] = ['ws', 'sse-distinct', 'sse-single'];

/** A live subscription through a real protocol client; values are awaited one at a time. */
export interface Subscription<T> {
  next(): Promise<GraphQLResponse<T>>;
  /** Resolves when the server ends the subscription. */
  completed: Promise<void>;
  /** Resolves with the errors if the server refused the subscription outright. */
  refused: Promise<GraphQLResponse<T>['errors']>;
  close(): Promise<void>;
}

export function subscribe<T = Record<string, any>>(
  server: { url: string },
  transport: Transport,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Subscription<T> {
  const received: GraphQLResponse<T>[] = [];
  const waiters: ((value: GraphQLResponse<T>) => void)[] = [];
  let complete!: () => void;
  let fail!: (error: unknown) => void;
  const completed = new Promise<void>((resolve, reject) => {
    complete = resolve;
    fail = reject;
  });
  completed.catch(() => undefined);
  let refuse!: (errors: GraphQLResponse<T>['errors']) => void;
  const refused = new Promise<GraphQLResponse<T>['errors']>((resolve) => (refuse = resolve));
  let firstValue = true;
  const sink = {
    next: (value: GraphQLResponse<T>) => {
      if (firstValue && value.errors?.length && !value.data) refuse(value.errors);
      firstValue = false;
      const waiter = waiters.shift();
      if (waiter) waiter(value);
      else received.push(value);
    },
    error: (error: unknown) => {
      // graphql-ws refuses an operation with an `error` message: a list of GraphQL errors.
      if (Array.isArray(error)) refuse(error);
      fail(error);
    },
    complete: () => complete(),
  };
  const authorization = token ? `Bearer ${token}` : undefined;
  let dispose: () => void | Promise<void>;
  if (transport === 'ws') {
    const client = createWsClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: 0,
    });
    const unsubscribe = client.subscribe({ query, variables }, sink as never);
    dispose = async () => {
      unsubscribe();
      await client.dispose();
    };
  } else {
    const client = createSseClient({
      url: transport === 'sse-single' ? `${server.url}/stream` : server.url,
      singleConnection: transport === 'sse-single',
      headers: authorization ? { authorization } : {},
      retryAttempts: 0,
    });
    const unsubscribe = client.subscribe({ query, variables }, sink as never);
    dispose = () => {
      unsubscribe();
      client.dispose();
    };
  }
  return {
    next: () => {
      const value = received.shift();
      if (value) return Promise.resolve(value);
      return Promise.race([
        new Promise<GraphQLResponse<T>>((resolve) => waiters.push(resolve)),
        completed.then(() => Promise.reject(new Error('subscription completed'))),
      ]);
    },
    completed,
    refused,
    close: async () => {
      await dispose();
    },
  };
}

/**
 * Opens subscriptions and waits until the server has registered them all, so a change made
 * next is sure to reach them. Changes committed before are read first, so a subscription
 * without `after` does not begin with them.
 */
export async function opened<T extends readonly unknown[]>(
  server: ShelfwireServer,
  open: () => T,
): Promise<T> {
  await whenCaughtUp(server.changes, server.pool);
  const before = server.changes.subscriptionsOpened;
  const subscriptions = open();
  // A refused subscription never registers: fail with its errors instead of waiting forever.
  const refusals = subscriptions.flatMap((subscription) =>
    subscription && typeof subscription === 'object' && 'refused' in subscription
      ? [(subscription as Subscription<unknown>).refused]
      : [],
  );
  await Promise.race([
    whenOpened(server.changes, before + subscriptions.length),
    ...refusals.map((refusal) =>
      refusal.then((errors) =>
        Promise.reject(new Error(`subscription refused: ${JSON.stringify(errors)}`)),
      ),
    ),
  ]);
  return subscriptions;
}

/**
 * Waits for a condition the server or the database reaches on its own, with no event to await (a
 * connection noticed as closed, a session waiting on a lock). Checks every 10 ms, for at most 10 s.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Started {
  process: ChildProcess;
  url: string;
  logs: string[];
}

/**
 * Runs `node server/main.ts` as `npm start` does, resolving once it logs its GraphiQL URL.
 * `processGroup: true` gives it a process group of its own, as a terminal does, for Ctrl-C tests.
 */
export async function startServerProcess(
  env: Record<string, string>,
  { processGroup = false } = {},
): Promise<Started> {
  const port = await getPort();
  const child = spawn(process.execPath, ['server/main.ts'], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: processGroup,
  });
  const logs: string[] = [];
  const lines = createInterface({ input: child.stderr! });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      logs.push(line);
      if (line.includes('GraphiQL at')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${logs.join('\n')}`)));
  });
  return { process: child, url: `http://127.0.0.1:${port}/graphql`, logs };
}

export async function stopServerProcess(started: Started, signal: NodeJS.Signals = 'SIGTERM') {
  const exited = once(started.process, 'exit');
  started.process.kill(signal);
  await exited;
}

/** Whether a postmaster runs on the data directory `dir` (the embedded Postgres's). */
export function postgresRunningIn(dir: string): boolean {
  try {
    return (
      execFileSync('pgrep', ['-f', `postgres -D ${dir}`])
        .toString()
        .trim() !== ''
    );
  } catch {
    return false; // pgrep exits 1 when nothing matches
  }
}

/**
 * A migrated database and `node server/main.ts` running on it (as `npm start` runs it) for the
 * test file: started before its tests, stopped and dropped after them. `fixture.process.logs`
 * holds what it wrote to stderr.
 */
export function serverProcessPerFile(env: Record<string, string>) {
  let database: TestDatabase | undefined;
  let started: Started | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    started = await startServerProcess({ ...env, DATABASE_URL: database.url });
  });
  afterAll(async () => {
    if (started) await stopServerProcess(started);
    await database?.drop();
  });
  return {
    get process(): Started {
      return started!;
    },
  };
}
