import type pg from 'pg';
import { logger } from '../logger.ts';
import { pruneChangeLog } from './changeLog.ts';

/**
 * Deletes changes older than `retention` now and then. Every instance may do it: pruning is one
 * idempotent statement. A cursor older than what is left then gets CURSOR_EXPIRED.
 */
export function scheduleRetention(pool: pg.Pool, retention: string, everyMs = 10 * 60_000) {
  const prune = async () => {
    try {
      const removed = await pruneChangeLog(pool, retention);
      if (removed > 0) logger.info('old changes removed from the change log', { removed });
    } catch (error) {
      logger.error('pruning the change log failed', { error });
    }
  };
  void prune();
  const timer = setInterval(prune, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
