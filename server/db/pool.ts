import pg from 'pg';
import { logger } from '../logger.ts';

/** A connection pool whose idle clients' errors (a restarted server) are logged, not fatal. */
export function createPool(connectionString: string, applicationName = 'shelfwire'): pg.Pool {
  const pool = new pg.Pool({ connectionString, application_name: applicationName, max: 10 });
  pool.on('error', (error) => logger.warn('idle database connection lost', { error }));
  return pool;
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
