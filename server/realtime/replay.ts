import type pg from 'pg';
import { type ChangeEvent, toChangeEvent } from './changeEvent.ts';
import { type ChangeFilter, foundByIndex } from './changeFilter.ts';
import { loadChangedRows, readChanges, readChangesInWindow } from './changeLog.ts';
import type { Position } from './position.ts';

/** A page of missed changes for subscribers resuming from one position. */
export interface ReplayPage {
  events: ChangeEvent[];
  /** Where the next page starts: the last change read, or `until` when none was left. */
  reached: Position;
  /** Retention removed changes right after the position. */
  expired: boolean;
}

/** Pages kept for subscribers that ask for one a moment after it was read. */
const keptPages = 256;
/** How long a page is kept: its rows are as of its read. */
const keptForMs = 5000;
/** Log rows one read may test against a filter its indexes cannot find. */
const windowRows = 5000;

/**
 * Reads of the change log for subscribers catching up from a cursor, shared by every subscriber
 * that asks for the same page: after a proxy reload thousands resume from the same few cursors at
 * once, and one read each would queue on the pool for seconds. A page is kept for a few seconds
 * for those who resume a moment later. The changes after a settled position never change, so a
 * page read up to an earlier watermark is a true prefix of what a later subscriber would read:
 * it continues from the page's end. Each subscriber thus gets exactly the changes it would have
 * read alone (their rows as of the read, as for a subscriber a moment earlier). Subscribers share
 * the event objects too, so each replayed change executes once per distinct subscription
 * (realtime/sharedResults.ts).
 */
export class ReplayReader {
  private readonly pool: pg.Pool;
  private readonly pageSize: number;
  private readonly onRead: () => void;
  /** By starting position and filter, oldest first. */
  private readonly pages = new Map<string, { page: Promise<ReplayPage>; readAt: number }>();

  constructor(options: { pool: pg.Pool; pageSize: number; onRead: () => void }) {
    this.pool = options.pool;
    this.pageSize = options.pageSize;
    this.onRead = options.onRead;
  }

  /** The changes matching `filter` after `after`, up to `until` (the feed's watermark) at most. */
  read(after: Position, until: Position, filter: ChangeFilter): Promise<ReplayPage> {
    const now = Date.now();
    this.forgetPagesOlderThan(now - keptForMs);
    const key = `${after.tx}.${after.seq} ${JSON.stringify(filter)}`;
    const kept = this.pages.get(key);
    if (kept) return kept.page;
    if (this.pages.size >= keptPages) this.pages.delete(this.pages.keys().next().value!);
    const page = this.readPage(after, until, filter);
    // A failed read is not kept: the next subscriber to ask reads again.
    page.catch(() => this.pages.delete(key));
    this.pages.set(key, { page, readAt: now });
    return page;
  }

  private forgetPagesOlderThan(time: number) {
    for (const [key, { readAt }] of this.pages) {
      if (readAt >= time) break;
      this.pages.delete(key);
    }
  }

  private async readPage(
    after: Position,
    until: Position,
    filter: ChangeFilter,
  ): Promise<ReplayPage> {
    this.onRead();
    const { changes, reached, expired } = foundByIndex(filter)
      ? await this.readIndexed(after, until, filter)
      : await readChangesInWindow(this.pool, {
          after,
          until,
          limit: this.pageSize,
          window: windowRows,
          filter,
        });
    if (expired || changes.length === 0) return { events: [], reached, expired };
    const rows = await loadChangedRows(this.pool, changes);
    return {
      events: changes.map((change) => toChangeEvent(change, rows)),
      reached,
      expired: false,
    };
  }

  private async readIndexed(after: Position, until: Position, filter: ChangeFilter) {
    const page = await readChanges(this.pool, { after, until, limit: this.pageSize, filter });
    return { ...page, reached: page.changes.at(-1)?.position ?? until };
  }
}
