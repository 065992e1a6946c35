// Commits changes to books at a set rate and notes when each commit completed.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { clock } from './processes.ts';

/** The channel the baseline LISTENs on; Shelfwire's triggers notify their own. */
export const baselineChannel = 'shelfwire_bench_baseline';

/**
 * One autocommit statement per commit, the same in both runs: the update fires Shelfwire's
 * change-log trigger, and the NOTIFY carries the book id for the baseline. Postgres answers
 * ReadyForQuery only after the implicit COMMIT, and `pg` resolves the query on it, so the time
 * taken when the promise resolves is after the commit.
 */
const commitSql = `
  WITH changed AS (
    UPDATE books SET copies = copies + 1, updated_at = now() WHERE id = $1 RETURNING id
  )
  SELECT pg_notify('${baselineChannel}', id::text) FROM changed`;

export interface CommitTimes {
  /** When commit `i` (an update of `bookIds[i]`) had committed, on `clock()`. */
  committedAt: Float64Array;
  /** Commits that started more than 5 ms after their scheduled time (a busy event loop). */
  late: number;
}

/**
 * Updates `bookIds` in order, `rate` per second. Commits start on schedule without waiting for
 * the previous one (up to 4 at once), so a slow commit does not slow the rate. `onCommitted`
 * hears of each commit as it completes.
 */
export async function commitAtRate(
  databaseUrl: string,
  bookIds: string[],
  rate: number,
  onCommitted?: (index: number) => void,
): Promise<CommitTimes> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    application_name: 'shelfwire-bench-writer',
  });
  // An idle connection that drops (the database dropped on ctrl-C) fails the next query instead.
  pool.on('error', () => undefined);
  const committedAt = new Float64Array(bookIds.length).fill(Number.NaN);
  let late = 0;
  let failure: unknown;
  try {
    // Open the connections before the clock starts.
    await Promise.all(Array.from({ length: 4 }, () => pool.query('SELECT 1')));
    const start = clock() + 10;
    const inFlight: Promise<void>[] = [];
    for (const [index, id] of bookIds.entries()) {
      if (failure) break;
      const due = start + (index * 1000) / rate;
      const wait = due - clock();
      if (wait > 0) await sleep(wait);
      if (clock() - due > 5) late += 1;
      inFlight.push(
        pool.query(commitSql, [id]).then(
          () => {
            committedAt[index] = clock();
            onCommitted?.(index);
          },
          (error: unknown) => {
            failure ??= error;
          },
        ),
      );
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  } finally {
    await pool.end();
  }
  return { committedAt, late };
}
