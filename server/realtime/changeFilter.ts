import type { Queryable } from '../db/pool.ts';
import type { BookingEvent, ChangeKind, ChangeRecord, Entity } from './changeLog.ts';

/**
 * Which changes a subscriber wants. Every criterion given must hold; a list criterion holds when
 * the change has one of its values. Decided from the log row alone (facts recorded at the change:
 * migrations/006), so a change nobody wants costs no row read, and a replay decides as the live
 * fan-out does.
 */
export interface ChangeFilter {
  entity: Entity;
  /** One entity (a subscription's `id`). */
  entityId?: string;
  /** Only bookings of this owner: what a signed-in user may see. */
  ownerId?: string;
  ids?: readonly string[];
  kinds?: readonly ChangeKind[];
  /** Books by one of these authors (exact). */
  authors?: readonly string[];
  /** Books whose title or author contains this text, already lower-cased by Postgres' lower(). */
  search?: string;
  /** Bookings of one of these books. */
  bookIds?: readonly string[];
  statuses?: readonly string[];
  /** Bookings whose change was one of these events. */
  events?: readonly BookingEvent[];
}

/** How one filter field is decided, in the fan-out and in the replay's SQL. */
interface Criterion {
  /** The values the filter asks for, or undefined when it does not ask. */
  wanted: (filter: ChangeFilter) => readonly string[] | undefined;
  /** Whether a change read from the log has what is wanted. */
  holds: (change: ChangeRecord, wanted: readonly string[]) => boolean;
  /** The same test in SQL over the log row `c`, the wanted values being the text[] `param`. */
  sql: (param: string) => string;
}

/** The change's value (a log column of a Postgres type) is one of the wanted values. */
function oneOf(
  column: string,
  type: 'text' | 'uuid',
  value: (change: ChangeRecord) => string | null,
  wanted: Criterion['wanted'],
): Criterion {
  return {
    wanted,
    holds: (change, values) => {
      const own = value(change);
      return own !== null && values.includes(own);
    },
    sql: (param) => `c.${column} = ANY(${param}::${type}[])`,
  };
}

/**
 * The text `search` looks in, lower-cased by Postgres on both sides (the fan-out reads it with
 * the change; the term is lower-cased by Postgres too), so the two never disagree on a letter.
 */
export const searchTextSql = `lower(c.title || E'\\n' || c.author)`;

const criteria: Criterion[] = [
  // uuid columns compared as uuid, so the replay's reads use the log's indexes.
  oneOf(
    'entity_id',
    'uuid',
    (c) => c.entityId,
    (f) => (f.entityId ? [f.entityId] : undefined),
  ),
  oneOf(
    'entity_id',
    'uuid',
    (c) => c.entityId,
    (f) => f.ids,
  ),
  oneOf(
    'owner_id',
    'text',
    (c) => c.ownerId,
    (f) => (f.ownerId ? [f.ownerId] : undefined),
  ),
  oneOf(
    'kind',
    'text',
    (c) => c.kind,
    (f) => f.kinds,
  ),
  oneOf(
    'author',
    'text',
    (c) => c.author,
    (f) => f.authors,
  ),
  oneOf(
    'book_id',
    'uuid',
    (c) => c.bookId,
    (f) => f.bookIds,
  ),
  oneOf(
    'status',
    'text',
    (c) => c.status,
    (f) => f.statuses,
  ),
  {
    wanted: (f) => f.events,
    holds: (change, values) => change.events.some((event) => values.includes(event)),
    sql: (param) => `c.events && ${param}::text[]`,
  },
  {
    wanted: (f) => (f.search === undefined ? undefined : [f.search]),
    holds: (change, [term]) => change.searchText?.includes(term!) ?? false,
    sql: (param) => `strpos(${searchTextSql}, (${param}::text[])[1]) > 0`,
  },
];

/** Most subscriptions want every change of their entity: they share one test. */
const everyChangeOf = {
  book: (change: ChangeRecord) => change.entity === 'book',
  booking: (change: ChangeRecord) => change.entity === 'booking',
};

/** The fan-out's test: made once per subscription, run for every change it might want. */
export function compileFilter(filter: ChangeFilter): (change: ChangeRecord) => boolean {
  const asked = criteria.flatMap((criterion) => {
    const wanted = criterion.wanted(filter);
    return wanted ? [{ criterion, wanted }] : [];
  });
  if (asked.length === 0) return everyChangeOf[filter.entity];
  return (change) =>
    change.entity === filter.entity &&
    asked.every(({ criterion, wanted }) => criterion.holds(change, wanted));
}

/**
 * Whether the log's indexes find the filter's changes (one entity, a few ids, one owner's): a
 * replay may then read as far as it needs. Other criteria are tested row by row, so a replay
 * reads the log in bounded windows (changeLog.ts: readChangesInWindow).
 */
export const foundByIndex = (filter: ChangeFilter): boolean =>
  filter.entityId !== undefined || filter.ids !== undefined || filter.ownerId !== undefined;

/** The same test as SQL over the log row `c`, its parameters numbered from `firstParam`. */
export function filterSql(
  filter: ChangeFilter,
  firstParam: number,
): { where: string; params: (string | readonly string[])[] } {
  const clauses = ['c.entity = $' + firstParam];
  const params: (string | readonly string[])[] = [filter.entity];
  for (const criterion of criteria) {
    const wanted = criterion.wanted(filter);
    if (!wanted) continue;
    params.push(wanted);
    clauses.push(criterion.sql(`$${firstParam + params.length - 1}`));
  }
  return { where: clauses.join(' AND '), params };
}

/** A `search` term as the filter holds it: lower-cased by Postgres, as the text it looks in. */
export async function searchTerm(db: Queryable, text: string): Promise<string> {
  const { rows } = await db.query<{ term: string }>('SELECT lower($1) AS term', [text]);
  return rows[0]!.term;
}
