// Every wait has a deadline: a lock, a statement, a free connection, the readiness probe.
import type pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ShelfwireServer } from '../../server/app.ts';
import {
  type TestDatabase,
  createTestDatabase,
  errorCode,
  gql,
  gqlOk,
  startTestServer,
  tokenFor,
  until,
} from '../support.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** Runs `work` with a server of these settings, stopping it afterwards. */
async function withServer<T>(
  settings: Record<string, string>,
  work: (server: ShelfwireServer) => Promise<T>,
): Promise<T> {
  const server = await startTestServer(database, settings);
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

/** Holds an exclusive lock on `books` from another session, as another app might. */
async function lockBooks(): Promise<pg.PoolClient> {
  const session = await database.sql.connect();
  await session.query('BEGIN');
  await session.query('LOCK TABLE books IN ACCESS EXCLUSIVE MODE');
  return session;
}

async function release(session: pg.PoolClient) {
  await session.query('ROLLBACK');
  session.release();
}

const listBooks = '{ books { nodes { id } } }';

test('a query waiting on a lock past DB_LOCK_TIMEOUT_MS answers TIMEOUT', async () => {
  await withServer({ DB_LOCK_TIMEOUT_MS: '100' }, async (server) => {
    const session = await lockBooks();
    try {
      expect(errorCode(await gql(server, listBooks))).toBe('TIMEOUT');
    } finally {
      await release(session);
    }
    await gqlOk(server, listBooks);
  });
});

test('a mutation waiting on a lock past DB_LOCK_TIMEOUT_MS answers TIMEOUT and writes nothing', async () => {
  await withServer({ DB_LOCK_TIMEOUT_MS: '100' }, async (server) => {
    const admin = await tokenFor('root', 'admin');
    const session = await lockBooks();
    try {
      const result = await gql(
        server,
        'mutation { createBook(input: { title: "Locked out", author: "A", copies: 1 }) { id } }',
        {},
        admin,
      );
      expect(errorCode(result)).toBe('TIMEOUT');
    } finally {
      await release(session);
    }
    const { rows } = await database.sql.query("SELECT 1 FROM books WHERE title = 'Locked out'");
    expect(rows).toHaveLength(0);
  });
});

test('a statement running past DB_STATEMENT_TIMEOUT_MS answers TIMEOUT', async () => {
  await withServer(
    { DB_STATEMENT_TIMEOUT_MS: '100', DB_LOCK_TIMEOUT_MS: '60000' },
    async (server) => {
      const session = await lockBooks();
      try {
        expect(errorCode(await gql(server, listBooks))).toBe('TIMEOUT');
      } finally {
        await release(session);
      }
    },
  );
});

test('a query past REQUEST_TIMEOUT_MS answers TIMEOUT', async () => {
  const settings = {
    REQUEST_TIMEOUT_MS: '100',
    DB_LOCK_TIMEOUT_MS: '60000',
    DB_STATEMENT_TIMEOUT_MS: '60000',
  };
  await withServer(settings, async (server) => {
    const session = await lockBooks();
    try {
      expect(errorCode(await gql(server, listBooks))).toBe('TIMEOUT');
    } finally {
      await release(session);
    }
  });
});

test('with every connection busy, a request gets SERVICE_UNAVAILABLE after DB_POOL_ACQUIRE_TIMEOUT_MS and /ready answers 503', async () => {
  const settings = {
    DB_POOL_SIZE: '1',
    DB_POOL_ACQUIRE_TIMEOUT_MS: '200',
    DB_LOCK_TIMEOUT_MS: '60000',
    DB_STATEMENT_TIMEOUT_MS: '60000',
    REQUEST_TIMEOUT_MS: '60000',
    READY_PROBE_TIMEOUT_MS: '200',
  };
  await withServer(settings, async (server) => {
    expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
    const session = await lockBooks();
    // This query takes the pool's only connection and waits on the lock.
    const stuck = gql(server, listBooks);
    try {
      await until(async () => {
        const { rows } = await database.sql.query(
          `SELECT 1 FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows.length > 0;
      }, 'the query waits on the lock');
      expect(errorCode(await gql(server, '{ viewer { userId } books { nodes { id } } }'))).toBe(
        'SERVICE_UNAVAILABLE',
      );
      expect((await fetch(new URL('/ready', server.url))).status).toBe(503);
    } finally {
      await release(session);
    }
    expect((await stuck).errors).toBeUndefined();
    expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
  });
});
