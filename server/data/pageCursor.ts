import { badInput } from '../errors.ts';

/**
 * A position in a list ordered by (created_at, id), opaque to clients. The time is kept in
 * microseconds since the epoch, as Postgres stores it: a JavaScript Date would cut it to
 * milliseconds and the next page would repeat rows.
 */
export interface PageKey {
  createdMicros: string;
  id: string;
}

/** SQL for the page key's time of a row `alias`, and for turning it back into a timestamp. */
export const createdMicrosSql = (alias: string) =>
  `(extract(epoch FROM ${alias}.created_at) * 1000000)::bigint::text AS created_micros`;
export const microsToTimestampSql = (parameter: string) =>
  `(timestamptz 'epoch' + ${parameter}::bigint * interval '1 microsecond')`;

export function encodePageCursor(key: PageKey): string {
  return Buffer.from(`${key.createdMicros}|${key.id}`).toString('base64url');
}

export function decodePageCursor(cursor: string, field: string): PageKey {
  const [createdMicros, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdMicros || !/^\d{1,18}$/.test(createdMicros) || !id || !isUuid(id)) {
    throw badInput(field, 'not a cursor returned by this list');
  }
  return { createdMicros, id };
}

export const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
