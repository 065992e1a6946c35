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
  /**
   * The Last-Event-ID an event stream was reopened with (a browser's EventSource reconnecting):
   * the cursor of the last change it received, where a subscription without `after` resumes.
   */
  lastEventId?: string;
}

/** Writes `next` messages with a payload's JSON text to one operation's client. */
export interface SharedResultSender {
  /**
   * False, sending nothing, when the client is behind: the result then takes the usual way.
   * `cursor` is the change's, which an event stream gives as the event's id.
   */
  send(json: string, cursor: string): boolean;
  /** Holds writes back until `uncork()`, to send several results in one system call. */
  cork?(): void;
  uncork?(): void;
}

/**
 * Per-operation loaders: a book asked for by many bookings of one response is read once. Each
 * is made on first use: a subscription lives as long as its client, and most never load a row
 * (a change carries its rows), so two idle DataLoaders apiece would be most of its Context.
 */
export class Loaders {
  private readonly db: pg.Pool;
  private bookLoader: DataLoader<string, BookRow | null> | null = null;
  private bookingLoader: DataLoader<string, BookingRow | null> | null = null;

  constructor(db: pg.Pool) {
    this.db = db;
  }

  get book(): DataLoader<string, BookRow | null> {
    return (this.bookLoader ??= new DataLoader(async (ids) =>
      orderById(ids, await findBooks(this.db, ids)),
    ));
  }

  get booking(): DataLoader<string, BookingRow | null> {
    return (this.bookingLoader ??= new DataLoader(async (ids) =>
      orderById(ids, await findBookings(this.db, ids)),
    ));
  }

  /** Forgets what was loaded, making no loader that does not exist yet. */
  clearAll(): void {
    this.bookLoader?.clearAll();
    this.bookingLoader?.clearAll();
  }
}

function orderById<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Whom per-client limits count against: the signed-in user, else the client's address. */
export function viewerKey(viewer: Viewer | null, clientAddress: string): string {
  return viewer ? `user:${viewer.id}` : `address:${clientAddress}`;
}
