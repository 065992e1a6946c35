import type pg from 'pg';
import { DomainError } from '../errors.ts';
import { logger } from '../logger.ts';
import {
  type ChangeFilter,
  type ChangeRecord,
  committedHead,
  loadChangedRows,
  readChanges,
  retentionHorizon,
  settledHead,
} from './changeLog.ts';
import { toChangeEvent } from './changeEvent.ts';
import { ChangeStream } from './changeStream.ts';
import { ChangeListener } from './listener.ts';
import { type Position, comparePositions, startOfLog } from './position.ts';

export interface ChangeFeedOptions {
  pool: pg.Pool;
  connectionString: string;
  /** Live changes one subscriber may have waiting before it is ended as too slow. */
  subscriberBufferSize: number;
}

interface Subscriber {
  filter: ChangeFilter;
  /** The last change this subscriber has been given (or skipped as not its own). */
  position: Position;
  /** False while it reads missed changes from the log; live changes then wait in the log too. */
  live: boolean;
  stream: ChangeStream;
}

const pageSize = 500;
const replayPageSize = 200;

/**
 * This instance's view of the change log: one LISTEN connection, one read of the log and of the
 * changed rows per notification, fanned out to every matching subscriber in log order.
 */
export class ChangeFeed {
  private readonly options: ChangeFeedOptions;
  private readonly subscribers = new Set<Subscriber>();
  private readonly listener: ChangeListener;
  /** Every settled change up to here has been handed to the live subscribers. */
  private watermark: Position = startOfLog;
  private reading = false;
  private readAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 20;
  private closed = false;
  private caughtUpWaiters: { head: Position; resolve: () => void }[] = [];
  private openedCount = 0;
  private openedWaiters: { count: number; resolve: () => void }[] = [];

  constructor(options: ChangeFeedOptions) {
    this.options = options;
    this.listener = new ChangeListener({
      connectionString: options.connectionString,
      onSignal: () => void this.readNewChanges(),
    });
  }

  async start(): Promise<void> {
    this.watermark = (await settledHead(this.options.pool)) ?? startOfLog;
    await this.listener.start();
  }

  /**
   * A stream of the changes matching `filter`: from `after` when given (replayed from the log,
   * then live, with nothing missed or repeated at the seam), otherwise from now.
   */
  async subscribe(filter: ChangeFilter, after?: Position): Promise<ChangeStream> {
    if (this.closed) throw new Error('the change feed is closed');
    if (after && comparePositions(after, await retentionHorizon(this.options.pool)) < 0) {
      throw new DomainError(
        'CURSOR_EXPIRED',
        'Changes after this cursor are no longer kept: refetch, then subscribe without `after`.',
      );
    }
    // Without `after`, start at the newest change committed so far, even if this instance has not
    // read it yet: the client asked for what happens from now on.
    const head = after ? null : await settledHead(this.options.pool);
    const start = after ?? latest(this.watermark, head);
    const subscriber: Subscriber = {
      filter,
      position: start,
      live: after === undefined,
      stream: new ChangeStream({
        capacity: this.options.subscriberBufferSize,
        onEnd: () => this.subscribers.delete(subscriber),
        refill: () => this.catchUp(subscriber),
      }),
    };
    this.subscribers.add(subscriber);
    this.openedCount += 1;
    this.openedWaiters = this.openedWaiters.filter((waiter) => {
      if (this.openedCount < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    return subscriber.stream;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** How many subscriptions this feed has opened since it started. */
  get subscriptionsOpened(): number {
    return this.openedCount;
  }

  /** Resolves once `count` subscriptions have been opened in all (tests await this). */
  whenOpened(count: number): Promise<void> {
    if (this.openedCount >= count) return Promise.resolve();
    return new Promise((resolve) => this.openedWaiters.push({ count, resolve }));
  }

  /**
   * Resolves once this instance has read every change committed before the call. A subscription
   * opened after that starts behind all of them (tests use it to start from a clean slate).
   */
  async whenCaughtUp(): Promise<void> {
    const head = await committedHead(this.options.pool);
    if (!head || comparePositions(this.watermark, head) >= 0) return;
    const caughtUp = new Promise<void>((resolve) => this.caughtUpWaiters.push({ head, resolve }));
    void this.readNewChanges();
    await caughtUp;
  }

  /**
   * Reads a replaying subscriber's next missed changes from the log. Once nothing is left up to
   * the watermark, and the watermark has not moved meanwhile, every later change will reach it
   * live: fan-out and the watermark move together in one synchronous step.
   */
  private async catchUp(subscriber: Subscriber): Promise<void> {
    while (!subscriber.live) {
      const until = this.watermark;
      if (comparePositions(subscriber.position, until) >= 0) {
        subscriber.live = true;
        return;
      }
      const { changes } = await readChanges(this.options.pool, {
        after: subscriber.position,
        until,
        limit: replayPageSize,
        filter: subscriber.filter,
      });
      if (changes.length > 0) {
        const rows = await loadChangedRows(this.options.pool, changes);
        subscriber.stream.enqueueReplay(changes.map((change) => toChangeEvent(change, rows)));
        subscriber.position = changes.at(-1)!.position;
        return;
      }
      subscriber.position = until;
    }
  }

  /** Reads settled changes past the watermark and fans them out; one read at a time. */
  private async readNewChanges(): Promise<void> {
    if (this.closed) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    clearTimeout(this.retryTimer);
    try {
      let waiting = false;
      do {
        this.readAgain = false;
        let page;
        do {
          page = await readChanges(this.options.pool, { after: this.watermark, limit: pageSize });
          if (page.changes.length > 0) await this.publish(page.changes);
        } while (page.changes.length === pageSize);
        waiting = page.waiting;
      } while (this.readAgain && !this.closed);
      // Committed changes wait behind an older transaction still running; it may never notify
      // (another table, another database), so look again soon.
      if (waiting) this.retryLater();
      else this.retryDelayMs = 20;
    } catch (error) {
      logger.error('reading the change log failed; retrying', { error });
      this.retryLater();
    } finally {
      this.reading = false;
    }
  }

  private async publish(changes: ChangeRecord[]): Promise<void> {
    const wanted = new Set(changes.filter((change) => this.someoneWants(change)));
    const rows = wanted.size ? await loadChangedRows(this.options.pool, [...wanted]) : null;
    // From here to the watermark update there is no await: see catchUp.
    for (const change of changes) {
      const event = rows && wanted.has(change) ? toChangeEvent(change, rows) : null;
      for (const subscriber of this.subscribers) {
        if (!subscriber.live || comparePositions(change.position, subscriber.position) <= 0)
          continue;
        subscriber.position = change.position;
        if (event && matches(subscriber.filter, change)) subscriber.stream.push(event);
      }
    }
    this.watermark = changes.at(-1)!.position;
    this.caughtUpWaiters = this.caughtUpWaiters.filter((waiter) => {
      if (comparePositions(this.watermark, waiter.head) < 0) return true;
      waiter.resolve();
      return false;
    });
  }

  private someoneWants(change: ChangeRecord): boolean {
    for (const subscriber of this.subscribers) {
      if (subscriber.live && matches(subscriber.filter, change)) return true;
    }
    return false;
  }

  private retryLater() {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.readNewChanges(), this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 1000);
  }

  /** Ends every subscription and releases the LISTEN connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const subscriber of this.subscribers) subscriber.stream.end();
    await this.listener.close();
  }
}

const latest = (a: Position, b: Position | null) => (b && comparePositions(b, a) > 0 ? b : a);

function matches(filter: ChangeFilter, change: ChangeRecord): boolean {
  return (
    filter.entity === change.entity &&
    (filter.entityId === undefined || filter.entityId === change.entityId) &&
    (filter.ownerId === undefined || filter.ownerId === change.ownerId)
  );
}
