import type { Queryable } from '../db/pool.ts';
import { DomainError, badInput, notFound } from '../errors.ts';
import { entityVersionSql } from './entityVersion.ts';
import { type PageKey, createdMicrosSql, microsToTimestampSql } from './pageCursor.ts';

export interface BookRow {
  id: string;
  title: string;
  author: string;
  description: string | null;
  isbn: string | null;
  copies: number;
  /** Copies not held by an active booking at the moment of the read. */
  available: number;
  /** Its version in the change log: a change with a smaller one is older than this row. */
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface BookFields {
  title: string;
  author: string;
  description: string | null;
  isbn: string | null;
  copies: number;
}

/**
 * Every column of a book plus its availability right now and its version. A copy is held as
 * `holds_copy_now` says (migrations/006 and 008), as the triggers and the availability clock
 * judge it; Postgres inlines it, so the active-bookings index still serves.
 */
export const bookSelect = `
  SELECT b.*, greatest(b.copies - (
    SELECT count(*) FROM bookings k WHERE k.book_id = b.id AND holds_copy_now(k)
  ), 0)::int AS available, ${entityVersionSql('book', 'b')}
  FROM books b`;

export async function findBooks(db: Queryable, ids: readonly string[]): Promise<BookRow[]> {
  const { rows } = await db.query<BookRow>(`${bookSelect} WHERE b.id = ANY($1::uuid[])`, [ids]);
  return rows;
}

/** One page of books in creation order, optionally matching `search` in title or author. */
export async function listBooks(
  db: Queryable,
  page: { after?: PageKey; limit: number; search?: string },
): Promise<(BookRow & { created_micros: string })[]> {
  const { rows } = await db.query<BookRow & { created_micros: string }>(
    `SELECT * FROM (${bookSelect}) b, LATERAL (SELECT ${createdMicrosSql('b')}) k
     WHERE ($1::text IS NULL OR (b.created_at, b.id) > (${microsToTimestampSql('$1')}, $2::uuid))
       AND ($3::text IS NULL OR b.title ILIKE $3 OR b.author ILIKE $3)
     ORDER BY b.created_at, b.id
     LIMIT $4`,
    [
      page.after?.createdMicros ?? null,
      page.after?.id ?? null,
      page.search ? `%${escapeLike(page.search)}%` : null,
      page.limit,
    ],
  );
  return rows;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function insertBook(db: Queryable, fields: BookFields): Promise<BookRow> {
  const { rows } = await withIsbnConflict(() =>
    db.query<{ id: string }>(
      `INSERT INTO books (title, author, description, isbn, copies)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [fields.title, fields.author, fields.description, fields.isbn, fields.copies],
    ),
  );
  return (await findBooks(db, [rows[0]!.id]))[0]!;
}

export async function updateBook(
  db: Queryable,
  id: string,
  changes: Partial<BookFields>,
): Promise<BookRow> {
  const { rowCount } = await withIsbnConflict(() =>
    db.query(
      `UPDATE books SET
         title = CASE WHEN $2 THEN $3 ELSE title END,
         author = CASE WHEN $4 THEN $5 ELSE author END,
         description = CASE WHEN $6 THEN $7 ELSE description END,
         isbn = CASE WHEN $8 THEN $9 ELSE isbn END,
         copies = CASE WHEN $10 THEN $11::int ELSE copies END,
         updated_at = now()
       WHERE id = $1`,
      [
        id,
        'title' in changes,
        changes.title ?? null,
        'author' in changes,
        changes.author ?? null,
        'description' in changes,
        changes.description ?? null,
        'isbn' in changes,
        changes.isbn ?? null,
        'copies' in changes,
        changes.copies ?? null,
      ],
    ),
  );
  if (rowCount === 0) throw notFound('Book');
  return (await findBooks(db, [id]))[0]!;
}

/** Deletes a book and its past or cancelled bookings; refused while a booking is still active. */
export async function deleteBook(db: Queryable, id: string): Promise<void> {
  const { rows } = await db.query<{ active: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM bookings
       WHERE book_id = b.id AND status IN ('PENDING', 'CONFIRMED') AND ends_at > now()
     ) AS active
     FROM books b WHERE b.id = $1 FOR UPDATE`,
    [id],
  );
  if (rows.length === 0) throw notFound('Book');
  if (rows[0]!.active) {
    throw new DomainError(
      'BOOK_HAS_ACTIVE_BOOKINGS',
      'This book has active bookings: cancel them before deleting it.',
    );
  }
  await db.query('DELETE FROM books WHERE id = $1', [id]);
}

async function withIsbnConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { constraint?: string }).constraint === 'books_isbn_key') {
      throw badInput('input.isbn', 'another book already has this ISBN');
    }
    throw error;
  }
}
