import { badInput } from '../errors.ts';

/**
 * A place in the change log. Changes are ordered by the writing transaction's id, then by the
 * row's sequence number; both are 64-bit in Postgres, hence bigint here.
 */
export interface Position {
  tx: bigint;
  seq: bigint;
}

export const startOfLog: Position = { tx: 0n, seq: 0n };

export function comparePositions(a: Position, b: Position): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/** The opaque cursor a client sends back as `after` to resume after this position. */
export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.tx}.${position.seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const match = /^(\d{1,20})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const position = match && { tx: BigInt(match[1]!), seq: BigInt(match[2]!) };
  // xid8 is an unsigned 64-bit number, the sequence a signed one.
  if (!position || position.tx >= 2n ** 64n || position.seq >= 2n ** 63n) {
    throw badInput('after', 'not a cursor received from a subscription');
  }
  return position;
}
