import type { Queryable } from '../db/pool.ts';
import type { Position } from '../realtime/position.ts';

/** How far an instance's read position trails the change log. */
export interface ChangeLogLag {
  /** Committed changes past the position. */
  changes: number;
  /** Age of the oldest of them, in seconds; 0 when there are none. */
  seconds: number;
}

/**
 * The committed changes past `position` and the age of the oldest one. Changes that wait
 * behind an older running transaction count: subscribers do not have them yet either. One range
 * scan of the primary key; cheap while the lag is small, which is when it is read most.
 */
export async function changeLogLag(db: Queryable, position: Position): Promise<ChangeLogLag> {
  const { rows } = await db.query<{ changes: number; seconds: number | null }>(
    `SELECT count(*)::int AS changes,
            extract(epoch FROM clock_timestamp() - min(at))::float8 AS seconds
     FROM change_log WHERE (tx, seq) > ($1::xid8, $2::bigint)`,
    [String(position.tx), String(position.seq)],
  );
  const row = rows[0]!;
  return { changes: row.changes, seconds: Math.max(0, row.seconds ?? 0) };
}
