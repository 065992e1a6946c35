// The statements the mutations commit, sent as plain SQL, with Shelfwire's change-log triggers
// (a change_log row and a NOTIFY per change) enabled or disabled: what the change log adds.
import pg from 'pg';
import { type LoopResult, closedLoop } from './closedLoop.ts';
import type { WriteTargets } from './writeTargets.ts';

export type Statement = 'UPDATE books' | 'INSERT INTO bookings';

/** The triggers of migrations/002_change_log.sql: every user trigger of the two tables. */
const changeLogTriggers = [
  'books_record_insert_delete',
  'books_record_update',
  'bookings_record_insert_delete',
  'bookings_record_update',
];

export interface SqlRun extends LoopResult {
  /** Rows the statements added to change_log: one per change with the triggers, none without. */
  changeLogRows: number;
}

/**
 * Enables or disables the change-log triggers on the bench's own database, then checks that
 * exactly they are in that state. `ALTER TABLE` takes an exclusive lock: nothing else may be
 * writing meanwhile.
 */
async function setChangeLogTriggers(db: pg.Pool, enabled: boolean): Promise<void> {
  const action = enabled ? 'ENABLE' : 'DISABLE';
  await db.query(`ALTER TABLE books ${action} TRIGGER USER`);
  await db.query(`ALTER TABLE bookings ${action} TRIGGER USER`);
  const { rows } = await db.query<{ tgname: string; enabled: boolean }>(
    `SELECT tgname, tgenabled <> 'D' AS enabled FROM pg_trigger
     WHERE tgrelid IN ('books'::regclass, 'bookings'::regclass) AND NOT tgisinternal
     ORDER BY tgname`,
  );
  const found = rows.map((row) => row.tgname).join(', ');
  if (found !== [...changeLogTriggers].sort().join(', ')) {
    throw new Error(
      `expected the change-log triggers ${changeLogTriggers.join(', ')}, found ${found}`,
    );
  }
  if (rows.some((row) => row.enabled !== enabled)) {
    throw new Error(`the change-log triggers did not become ${enabled ? 'enabled' : 'disabled'}`);
  }
}

const changeLogSize = async (db: pg.Pool) =>
  Number(
    (await db.query<{ rows: string }>('SELECT count(*) AS rows FROM change_log')).rows[0]!.rows,
  );

/**
 * Commits `statement` from `concurrency` connections back to back (each an autocommitted
 * statement, so the answer comes after the COMMIT), with the triggers as `triggers` says.
 */
export async function commitSql(options: {
  databaseUrl: string;
  statement: Statement;
  triggers: 'enabled' | 'disabled';
  targets: WriteTargets;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
}): Promise<SqlRun> {
  const { concurrency, targets } = options;
  const db = new pg.Pool({
    connectionString: options.databaseUrl,
    max: concurrency,
    application_name: 'shelfwire-bench-sql',
  });
  // An idle connection that drops (the database dropped on ctrl-C) fails the next query instead.
  db.on('error', () => undefined);
  try {
    await setChangeLogTriggers(db, options.triggers === 'enabled');
    // Open the connections before the clock starts.
    await Promise.all(Array.from({ length: concurrency }, () => db.query('SELECT 1')));
    const rowsBefore = await changeLogSize(db);
    const operation =
      options.statement === 'UPDATE books'
        ? async () => {
            const { bookId, copies } = targets.nextUpdate();
            await db.query('UPDATE books SET copies = $2, updated_at = now() WHERE id = $1', [
              bookId,
              copies,
            ]);
          }
        : async () => {
            const booking = targets.nextBooking();
            await db.query(
              'INSERT INTO bookings (book_id, user_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)',
              [booking.bookId, `bench-user-${booking.user}`, booking.startsAt, booking.endsAt],
            );
          };
    const result = await closedLoop({
      concurrency,
      warmupMs: options.warmupMs,
      measureMs: options.measureMs,
      operation,
    });
    const changeLogRows = (await changeLogSize(db)) - rowsBefore;
    await setChangeLogTriggers(db, true);
    return { ...result, changeLogRows };
  } finally {
    await db.end();
  }
}
