import { badInput } from '../errors.ts';
import { isUuid } from '../data/pageCursor.ts';

/** Opaque Relay IDs: base64url of "Type:uuid". */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`).toString('base64url');
}

export function decodeGlobalId(globalId: string, field: string): { typename: string; id: string } {
  const [typename, id] = Buffer.from(globalId, 'base64url').toString().split(':');
  if (!typename || !id || !isUuid(id)) throw badInput(field, 'not an ID from this API');
  // As Postgres writes a uuid: filters compare ids as text in the fan-out.
  return { typename, id: id.toLowerCase() };
}

/** The database id inside a global ID, which must name a `typename`. */
export function idOf(globalId: string, typename: string, field: string): string {
  const decoded = decodeGlobalId(globalId, field);
  if (decoded.typename !== typename) throw badInput(field, `not the ID of a ${typename}`);
  return decoded.id;
}
