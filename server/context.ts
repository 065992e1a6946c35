import DataLoader from 'dataloader';
import type pg from 'pg';
import type { Viewer } from './auth/jwt.ts';
import { type BookRow, findBooks } from './data/books.ts';
import { type BookingRow, findBookings } from './data/bookings.ts';
import type { Limits } from './config.ts';
import type { ChangeFeed } from './realtime/changeFeed.ts';

/** What every resolver may use: who is asking, and the database. */
export interface Context {
  viewer: Viewer | null;
  db: pg.Pool;
  loaders: Loaders;
  changes: ChangeFeed;
  /** The configured limits every request is held to. */
  limits: Limits;
  /** The client's network address: whom an anonymous request's rate limits count against. */
  clientAddress: string;
  /** Aborted when the client's connection goes away: ends its subscriptions at once. */
  signal?: AbortSignal;
  /** Set by a transport that sends a subscription's shared live results itself. */
  sendSharedResult?: SharedResultSender;
}

/** Writes `next` messages with a payload's JSON text to one operation's client. */
export interface SharedResultSender {
  /** False, sending nothing, when the client is behind: the result then takes the usual way. */
  send(json: string): boolean;
  /** Holds writes back until `uncork()`, to send several results in one system call. */
  cork?(): void;
  uncork?(): void;
}

export interface Loaders {
  book: DataLoader<string, BookRow | null>;
  booking: DataLoader<string, BookingRow | null>;
}

/** Per-operation loaders: a book asked for by many bookings of one response is read once. */
export function createLoaders(db: pg.Pool): Loaders {
  return {
    book: new DataLoader(async (ids) => orderById(ids, await findBooks(db, ids))),
    booking: new DataLoader(async (ids) => orderById(ids, await findBookings(db, ids))),
  };
}

function orderById<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Whom per-client limits count against: the signed-in user, else the client's address. */
export function viewerKey(viewer: Viewer | null, clientAddress: string): string {
  return viewer ? `user:${viewer.id}` : `address:${clientAddress}`;
}
