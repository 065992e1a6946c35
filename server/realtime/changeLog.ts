// Reads of the change log that the triggers of migrations/002_change_log.sql write.
import type { Queryable } from '../db/pool.ts';
import { type BookRow, findBooks } from '../data/books.ts';
import { type BookingRow, findBookings } from '../data/bookings.ts';
import { type ChangeFilter, filterSql, searchTextSql } from './changeFilter.ts';
import type { Position } from './position.ts';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';
export const changeKinds = ['CREATED', 'UPDATED', 'DELETED'] as const;
/** What happened to a booking, as the triggers of migrations/006 record it. */
export const bookingEvents = [
  'REQUESTED',
  'CONFIRMED',
  'CANCELLED',
  'RESCHEDULED',
  'PAID',
  'REFUNDED',
  'DELETED',
] as const;
export type BookingEvent = (typeof bookingEvents)[number];
export type Entity = 'book' | 'booking';

export interface ChangeRecord {
  position: Position;
  entity: Entity;
  entityId: string;
  kind: ChangeKind;
  /** The owner of a changed booking. */
  ownerId: string | null;
  at: Date;
  /** The entity's version after this change: one entity's changes come in version order. */
  version: number;
  /** What happened to a booking (REQUESTED, CONFIRMED, ...); empty for books. */
  events: readonly BookingEvent[];
  /** The schema fields whose value changed (every field on CREATED, none on DELETED). */
  changedFields: readonly string[];
  /** Facts as they were at the change, that filters match: a booking's book and status. */
  bookId: string | null;
  status: string | null;
  /** A book's author, and its title and author lower-cased, for `search` (changeFilter.ts). */
  author: string | null;
  searchText: string | null;
}

interface ChangeLogRow {
  tx: string;
  seq: string;
  entity: Entity;
  entity_id: string;
  kind: ChangeKind;
  owner_id: string | null;
  at: Date;
  version: string;
  events: BookingEvent[];
  changed_fields: string[];
  book_id: string | null;
  status: string | null;
  author: string | null;
  search_text: string | null;
  settled: boolean;
}

/** What a read of the log selects of each change row `c` (see ChangeLogRow, toRecord). */
const recordColumns = `c.tx::text, c.seq::text, c.entity, c.entity_id, c.kind, c.owner_id, c.at,
  c.version::text, c.events, c.changed_fields, c.book_id, c.status, c.author,
  ${searchTextSql} AS search_text`;

export interface ChangePage {
  /** Settled changes after the position, in order. */
  changes: ChangeRecord[];
  /** True when committed changes exist beyond them that wait for an older transaction to end. */
  waiting: boolean;
  /** True when retention has removed changes right after the position: they are lost to it. */
  expired: boolean;
}

/**
 * Changes after `after`, oldest first, up to `limit`, and never past `until`.
 *
 * Only settled changes are returned: those whose transaction is older than every transaction of
 * this database still running (`change_log_settled_before()`, migrations/005: transactions of
 * other databases cannot write this log, so they hold nothing back). A running transaction may still commit a change
 * that sorts before a newer committed one; holding the newer one back until then is what keeps
 * a reader that resumes from a cursor from ever skipping a change. The retention horizon is read
 * in the same statement, so a prune can never remove rows unnoticed between two pages.
 */
export async function readChanges(
  db: Queryable,
  options: { after: Position; until?: Position; limit: number; filter?: ChangeFilter },
): Promise<ChangePage> {
  const { after, until, limit, filter } = options;
  const chosen = filter ? filterSql(filter, 6) : { where: 'true', params: [] };
  const { rows } = await db.query<ChangeLogRow & { expired: boolean }>(
    `SELECT h.expired, c.* FROM (
       SELECT ($1::xid8, $2::bigint) < (tx, seq) AS expired FROM change_log_horizon
     ) h LEFT JOIN LATERAL (
       SELECT ${recordColumns}, c.tx < (SELECT change_log_settled_before()) AS settled
       FROM change_log c
       WHERE (c.tx, c.seq) > ($1::xid8, $2::bigint)
         AND ($3::xid8 IS NULL OR (c.tx, c.seq) <= ($3::xid8, $4::bigint))
         AND ${chosen.where}
       ORDER BY c.tx, c.seq
       LIMIT $5
     ) c ON true`,
    [
      String(after.tx),
      String(after.seq),
      until ? String(until.tx) : null,
      until ? String(until.seq) : null,
      limit,
      ...chosen.params,
    ],
  );
  const expired = rows[0]?.expired ?? false;
  const found = rows.filter((row) => row.tx !== null);
  // Rows are in tx order and settled ones have the smallest tx, so they form a prefix.
  const settledCount = found.findIndex((row) => !row.settled);
  const settled = settledCount === -1 ? found : found.slice(0, settledCount);
  return { changes: settled.map(toRecord), waiting: settledCount !== -1, expired };
}

/**
 * The changes matching `filter` among the next `window` changes of the log after `after` (never
 * past `until`, which must be settled: a replay's watermark), at most `limit` of them. A filter
 * the log's indexes cannot find (a search, an author, an event) is tested row by row, so one
 * statement reads at most `window` rows however rare its matches. `reached` is where the next
 * window starts: the last change returned when `limit` were found, else the window's end (or
 * `until`, when the window reached it).
 */
export async function readChangesInWindow(
  db: Queryable,
  options: {
    after: Position;
    until: Position;
    limit: number;
    window: number;
    filter: ChangeFilter;
  },
): Promise<{ changes: ChangeRecord[]; reached: Position; expired: boolean }> {
  const { after, until, limit, window, filter } = options;
  const chosen = filterSql(filter, 6);
  const { rows } = await db.query<
    ChangeLogRow & { expired: boolean; matched: boolean; scanned: string }
  >(
    `SELECT h.expired, c.* FROM (
       SELECT ($1::xid8, $2::bigint) < (tx, seq) AS expired FROM change_log_horizon
     ) h LEFT JOIN LATERAL (
       SELECT ${recordColumns}, true AS settled, (${chosen.where}) AS matched, row_number() OVER (ORDER BY c.tx, c.seq) AS scanned
       FROM (
         SELECT * FROM change_log c
         WHERE (c.tx, c.seq) > ($1::xid8, $2::bigint) AND (c.tx, c.seq) <= ($3::xid8, $4::bigint)
         ORDER BY c.tx, c.seq
         LIMIT $5
       ) c
     ) c ON true
     WHERE c.tx IS NULL OR c.matched OR c.scanned = $5
     ORDER BY c.scanned`,
    [
      String(after.tx),
      String(after.seq),
      String(until.tx),
      String(until.seq),
      window,
      ...chosen.params,
    ],
  );
  const expired = rows[0]?.expired ?? false;
  const changes: ChangeRecord[] = [];
  let reached = until;
  for (const row of rows) {
    if (row.tx === null) break;
    if (row.matched) changes.push(toRecord(row));
    if (changes.length === limit) return { changes, reached: changes.at(-1)!.position, expired };
    // The window's last row: the next window starts after it.
    if (Number(row.scanned) === window) reached = { tx: BigInt(row.tx), seq: BigInt(row.seq) };
  }
  return { changes, reached, expired };
}

function toRecord(row: ChangeLogRow): ChangeRecord {
  return {
    position: { tx: BigInt(row.tx), seq: BigInt(row.seq) },
    entity: row.entity,
    entityId: row.entity_id,
    kind: row.kind,
    ownerId: row.owner_id,
    at: row.at,
    version: Number(row.version),
    events: row.events,
    changedFields: row.changed_fields,
    bookId: row.book_id,
    status: row.status,
    author: row.author,
    searchText: row.search_text,
  };
}

/** The newest settled position: where a reader starting now begins. */
export async function settledHead(db: Queryable): Promise<Position | null> {
  const { rows } = await db.query<{ tx: string; seq: string }>(
    // Order by the table's columns (c.tx), not the text output columns: '999' > '1061' as text.
    `SELECT c.tx::text, c.seq::text FROM change_log c
     WHERE c.tx < (SELECT change_log_settled_before())
     ORDER BY c.tx DESC, c.seq DESC LIMIT 1`,
  );
  return rows[0] ? { tx: BigInt(rows[0].tx), seq: BigInt(rows[0].seq) } : null;
}

/** The newest committed position, settled or not. */
export async function committedHead(db: Queryable): Promise<Position | null> {
  const { rows } = await db.query<{ tx: string; seq: string }>(
    'SELECT c.tx::text, c.seq::text FROM change_log c ORDER BY c.tx DESC, c.seq DESC LIMIT 1',
  );
  return rows[0] ? { tx: BigInt(rows[0].tx), seq: BigInt(rows[0].seq) } : null;
}

/** The newest position retention has removed: cursors before it cannot be resumed. */
export async function retentionHorizon(db: Queryable): Promise<Position> {
  const { rows } = await db.query<{ tx: string; seq: string }>(
    'SELECT tx::text, seq::text FROM change_log_horizon',
  );
  return { tx: BigInt(rows[0]!.tx), seq: BigInt(rows[0]!.seq) };
}

/**
 * Deletes changes older than `retention` (a Postgres interval), oldest first and in batches, and
 * moves the horizon past them. Short statements keep the pruning transaction from holding back
 * every reader (see readChanges); returns how many rows went.
 */
export async function pruneChangeLog(
  db: Queryable,
  retention: string,
  batchSize = 5000,
): Promise<number> {
  let removed = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `WITH expired AS (
         SELECT tx, seq FROM change_log
         WHERE at < now() - $1::interval AND tx < (SELECT change_log_settled_before())
         ORDER BY tx, seq LIMIT $2
       ), last AS (
         SELECT tx, seq FROM expired ORDER BY tx DESC, seq DESC LIMIT 1
       ), horizon AS (
         UPDATE change_log_horizon h SET tx = last.tx, seq = last.seq FROM last
         WHERE (last.tx, last.seq) > (h.tx, h.seq) RETURNING h.tx, h.seq
       )
       DELETE FROM change_log c USING horizon WHERE (c.tx, c.seq) <= (horizon.tx, horizon.seq)`,
      [retention, batchSize],
    );
    removed += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return removed;
  }
}

/**
 * Forgets the versions of entities that are gone and have no change left in the log: nothing
 * can be compared with them any more (ids are never reused). Returns how many went.
 */
export async function pruneEntityVersions(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM entity_versions v
     WHERE NOT EXISTS (SELECT 1 FROM change_log c
                       WHERE c.entity = v.entity AND c.entity_id = v.entity_id)
       AND NOT EXISTS (SELECT 1 FROM books b WHERE v.entity = 'book' AND b.id = v.entity_id)
       AND NOT EXISTS (SELECT 1 FROM bookings k
                       WHERE v.entity = 'booking' AND k.id = v.entity_id)`,
  );
  return rowCount ?? 0;
}

/** The current rows behind a batch of changes, read once for every subscriber. */
export interface ChangedRows {
  books: Map<string, BookRow>;
  bookings: Map<string, BookingRow>;
}

export async function loadChangedRows(
  db: Queryable,
  changes: ChangeRecord[],
): Promise<ChangedRows> {
  const bookingIds = idsOf(changes, 'booking');
  const bookings = bookingIds.length ? await findBookings(db, bookingIds) : [];
  // A booking's book is part of what its subscribers see (its availability), so load it too.
  const bookIds = [
    ...new Set([...idsOf(changes, 'book'), ...bookings.map((booking) => booking.book_id)]),
  ];
  const books = bookIds.length ? await findBooks(db, bookIds) : [];
  return {
    books: new Map(books.map((book) => [book.id, book])),
    bookings: new Map(bookings.map((booking) => [booking.id, booking])),
  };
}

const idsOf = (changes: ChangeRecord[], entity: Entity) => [
  ...new Set(changes.filter((change) => change.entity === entity).map((change) => change.entityId)),
];
