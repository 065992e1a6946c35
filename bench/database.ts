// A database of the benchmark's own: created, migrated and seeded for one run, then dropped.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateUp } from '../server/db/migrate.ts';

export interface BenchDatabase {
  url: string;
  /** The book each commit updates, in commit order. */
  bookIds: string[];
  /** The server's version string, for the report. */
  version: string;
  drop(): Promise<void>;
}

/** The title of the book that commit `index` updates: what a subscriber reads the commit from. */
export const bookTitle = (index: number) => `bench-${index}`;

/** Commit index named by a delivered book's title, or -1 when it names none. */
export function commitIndexOf(title: unknown): number {
  if (typeof title !== 'string' || !title.startsWith('bench-')) return -1;
  const index = Number(title.slice('bench-'.length));
  return Number.isInteger(index) ? index : -1;
}

/**
 * Creates `shelfwire_bench_<random>` next to the admin URL's database, migrates it and seeds one
 * book per commit. One book per commit matters: a delivery carries the row as it is when the
 * server reads it, so two commits to one row could both arrive showing the second.
 */
export async function createBenchDatabase(
  adminUrl: string,
  commits: number,
): Promise<BenchDatabase> {
  const name = `shelfwire_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  let version: string;
  try {
    version = (
      await admin.query<{ version: string }>("SELECT current_setting('server_version') AS version")
    ).rows[0]!.version;
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const dropper = new pg.Client(adminUrl);
    await dropper.connect();
    try {
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  };
  try {
    await migrateUp(url.toString());
    const db = new pg.Client(url.toString());
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string; title: string }>(
        `INSERT INTO books (title, author, copies)
         SELECT 'bench-' || i, 'Shelfwire benchmark', 0 FROM generate_series(0, $1 - 1) i
         RETURNING id, title`,
        [commits],
      );
      const bookIds = new Array<string>(commits);
      for (const row of rows) bookIds[commitIndexOf(row.title)] = row.id;
      return { url: url.toString(), bookIds, version, drop };
    } finally {
      await db.end();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}
