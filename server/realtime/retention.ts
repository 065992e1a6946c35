import type pg from 'pg';
import { logger } from '../logger.ts';
import { pruneChangeLog, pruneEntityVersions } from './changeLog.ts';

/** Session advisory lock held while pruning, so only one instance prunes at a time. */
const pruningLock = 0x5348_454c; // "SHEL"

/**
 * Deletes changes older than `retention` now and then. Every instance schedules it; whichever
 * takes the lock first does the work and the others skip that round. A cursor older than what is
 * left then gets CURSOR_EXPIRED.
 */
export function scheduleRetention(pool: pg.Pool, retention: string, everyMs = 10 * 60_000) {
  const prune = async () => {
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [pruningLock],
      );
      if (!rows[0]!.locked) return;
      try {
        const removed = await pruneChangeLog(client, retention);
        if (removed > 0) logger.info('old changes removed from the change log', { removed });
        await pruneEntityVersions(client);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [pruningLock]);
      }
    } catch (error) {
      logger.error('pruning the change log failed', { error });
    } finally {
      client?.release();
    }
  };
  void prune();
  const timer = setInterval(prune, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
