import pg from 'pg';
import type { DatabaseSettings } from '../config.ts';
import { logger } from '../logger.ts';

const defaultSettings: DatabaseSettings = {
  poolSize: 10,
  acquireTimeoutMs: 3000,
  statementTimeoutMs: 5000,
  lockTimeoutMs: 2000,
};

/**
 * A connection pool in which every wait has a deadline: getting a connection, a statement, a
 * lock. Idle clients' errors (a restarted server) are logged, not fatal.
 */
export function createPool(
  connectionString: string,
  settings: DatabaseSettings = defaultSettings,
  applicationName = 'shelfwire',
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    application_name: applicationName,
    max: settings.poolSize,
    // pg-pool applies this both to opening a connection and to waiting for a free one.
    connectionTimeoutMillis: settings.acquireTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    lock_timeout: settings.lockTimeoutMs,
    // A transaction left open by a crashed request must not hold its locks for good.
    idle_in_transaction_session_timeout: settings.statementTimeoutMs * 2,
  });
  pool.on('error', (error) => logger.warn('idle database connection lost', { error }));
  return pool;
}

/**
 * Ends the pool once each of its connections has closed, waiting at most `closeWaitMs` for them
 * (one that fails while opening leaves without a word). pg-pool's `end()` resolves as soon as it
 * has asked them to close: a Postgres stopped right after (the embedded one, at Ctrl-C) then
 * cuts a connection still saying goodbye, and the pool reports it as lost.
 */
export async function endPool(pool: pg.Pool, closeWaitMs = 1000): Promise<void> {
  let open = pool.totalCount;
  const closed = Promise.withResolvers<void>();
  if (open === 0) closed.resolve();
  pool.on('remove', () => {
    open -= 1;
    if (open <= 0) closed.resolve();
  });
  await pool.end();
  const gaveUp = setTimeout(closed.resolve, closeWaitMs);
  await closed.promise;
  clearTimeout(gaveUp);
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Runs `work` in one transaction: committed when it returns, rolled back when it throws,
 * so a failed mutation changes nothing (and announces nothing: NOTIFY waits for commit).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
