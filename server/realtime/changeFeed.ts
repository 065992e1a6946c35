import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { DomainError, badInput } from '../errors.ts';
import { logger } from '../logger.ts';
import { type ChangeFilter, compileFilter } from './changeFilter.ts';
import {
  type ChangeRecord,
  type Entity,
  committedHead,
  loadChangedRows,
  readChanges,
  retentionHorizon,
  settledHead,
} from './changeLog.ts';
import { type ChangeEvent, toChangeEvent } from './changeEvent.ts';
import type { ChangeStream, StreamEnding } from './changeStream.ts';
import { FeedSubscriber, type SubscriberHost } from './feedSubscriber.ts';
import { type Subscriber, fanOut, prepareResults } from './fanOut.ts';
import type { ChangeFeedEmitter, SubscriberEndReason } from './feedEvents.ts';
import { ChangeListener } from './listener.ts';
import { HeldDeliveryWatch } from './heldDelivery.ts';
import { ReplayReader } from './replay.ts';
import { type SharedRead, sharedRead } from './sharedRead.ts';
import { type Position, comparePositions, startOfLog } from './position.ts';
import type { RealtimeSettings } from '../config.ts';

export interface ChangeFeedOptions {
  pool: pg.Pool;
  connectionString: string;
  /** Live changes one subscriber may have waiting before it is ended as too slow. */
  subscriberBufferSize: number;
  /** How often the log is read even without a notification (a safety net), and page sizes. */
  tuning?: Partial<
    Pick<
      RealtimeSettings,
      | 'pollIntervalMs'
      | 'pageSize'
      | 'replayPageSize'
      | 'listenHealthCheckMs'
      | 'listenMaxBackoffMs'
      | 'heldReportAfterMs'
    > & { headReuseMs: number }
  >;
}

export interface SubscribeOptions {
  /** Resume after this position: replayed from the log, then live. */
  after?: Position;
  /** Ends the subscription, e.g. when the client's connection closes. */
  signal?: AbortSignal;
  /** The subscriber's token expiry (seconds since the epoch): its stream ends then. */
  expiresAt?: number;
  /** Called when the stream ends, however it ends (at least once, maybe more). */
  onEnd?: () => void;
}

const defaultTuning = {
  pollIntervalMs: 2000,
  pageSize: 500,
  replayPageSize: 200,
  listenHealthCheckMs: 2000,
  listenMaxBackoffMs: 5000,
  heldReportAfterMs: 5000,
  /**
   * How long one read of the log's heads serves everyone who subscribes or resumes, unless a
   * commit is notified meanwhile. Without a notification the settled head moves only as a
   * transaction holding delivery back ends (or while the LISTEN connection is down): a
   * subscriber without `after` may then begin with changes committed up to this long before it
   * asked, or with those the ended transaction held back, until this instance has read them.
   */
  headReuseMs: 1000,
};

const cursorExpired = () =>
  new DomainError(
    'CURSOR_EXPIRED',
    'Changes after this cursor are no longer kept: subscribe without `after`, then refetch.',
  );

/**
 * This instance's view of the change log: one LISTEN connection, one read of the log and of the
 * changed rows per notification, fanned out to every matching subscriber in log order.
 */
export class ChangeFeed {
  /** Deliveries, ended subscriptions and LISTEN reconnects, as they happen (for metrics). */
  readonly events: ChangeFeedEmitter = new EventEmitter();
  private readonly options: ChangeFeedOptions;
  private readonly tuning: typeof defaultTuning;
  /** Subscribers by the entity they watch, so a change is only matched against its watchers. */
  private readonly subscribers = new Map<Entity, Set<Subscriber>>([
    ['book', new Set()],
    ['booking', new Set()],
  ]);
  private readonly listener: ChangeListener;
  private readonly replays: ReplayReader;
  /** Says how long, and by which backend, delivery has been held back. */
  readonly held: HeldDeliveryWatch;
  private readonly sharedSettledHead: SharedRead<Position | null>;
  private readonly sharedCommittedHead: SharedRead<Position | null>;
  private readonly sharedHorizon: SharedRead<Position>;
  /** What each subscriber tells this feed: one object for all of them. */
  private readonly subscriberHost: SubscriberHost = {
    catchUp: (subscriber) => this.catchUp(subscriber),
    ended: (subscriber, ending) => {
      // Only the first end counts: a stream may report its end more than once.
      const { entity } = subscriber.filter;
      if (this.subscribers.get(entity)!.delete(subscriber)) {
        this.events.emit('subscriberEnded', { entity, reason: endReason(ending) });
      }
    },
    delivered: (event, replayed) => this.events.emit('delivered', { event, replayed, count: 1 }),
  };
  /**
   * Every settled change up to here has been read. It moves before the changed rows are loaded,
   * so a subscriber that goes live or starts meanwhile counts that batch as already behind it.
   */
  private watermark: Position = startOfLog;
  private reading = false;
  private readAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 20;
  private shutDown = false;
  private openedCount = 0;

  constructor(options: ChangeFeedOptions) {
    this.options = options;
    this.tuning = { ...defaultTuning, ...options.tuning };
    // Each notification of a commit makes the heads read again. The horizon is shared only in
    // flight: retention (on any instance) moves it without a notification, and an emptied log
    // has no head but the horizon to tell a cursor from the future (checkResumable).
    const headRead =
      <T>(read: (db: pg.Pool) => Promise<T>) =>
      () => {
        this.events.emit('logRead', { purpose: 'head' });
        return read(options.pool);
      };
    this.sharedSettledHead = sharedRead(headRead(settledHead), this.tuning.headReuseMs);
    this.sharedCommittedHead = sharedRead(headRead(committedHead), this.tuning.headReuseMs);
    this.sharedHorizon = sharedRead(headRead(retentionHorizon));
    this.held = new HeldDeliveryWatch({
      db: options.pool,
      reportAfterMs: this.tuning.heldReportAfterMs,
      onHeld: (held) => {
        logger.warn('delivery is held back by an open transaction of this database', {
          heldForSeconds: Math.round(held.heldForSeconds),
          backend: held.holder,
        });
        this.events.emit('deliveryHeld', held);
      },
    });
    this.replays = new ReplayReader({
      pool: options.pool,
      pageSize: this.tuning.replayPageSize,
      onRead: () => this.events.emit('logRead', { purpose: 'replay' }),
    });
    this.listener = new ChangeListener({
      connectionString: options.connectionString,
      healthCheckMs: this.tuning.listenHealthCheckMs,
      maxBackoffMs: this.tuning.listenMaxBackoffMs,
      onSignal: () => {
        this.sharedSettledHead.forget();
        this.sharedCommittedHead.forget();
        void this.readNewChanges();
      },
      onReconnected: () => this.events.emit('listenerReconnected'),
    });
  }

  async start(): Promise<void> {
    const [horizon, head] = await Promise.all([
      retentionHorizon(this.options.pool),
      settledHead(this.options.pool),
    ]);
    this.watermark = latest(horizon, head);
    await this.listener.start();
    // Independent of the listener: picks up changes whose notification was lost, and changes
    // that waited behind an older transaction that never notifies.
    this.pollTimer = setInterval(() => void this.readNewChanges(), this.tuning.pollIntervalMs);
    this.pollTimer.unref();
  }

  /**
   * A stream of the changes matching `filter`: from `after` when given (replayed from the log,
   * then live, with nothing missed or repeated at the seam), otherwise from the newest settled
   * change on.
   */
  async subscribe(filter: ChangeFilter, options: SubscribeOptions = {}): Promise<ChangeStream> {
    if (this.shutDown) throw new Error('the change feed is closed');
    const { after, signal, expiresAt, onEnd } = options;
    if (after) {
      await this.checkResumable(after).catch((error: unknown) => {
        if (error instanceof DomainError) {
          this.events.emit('subscriberEnded', { entity: filter.entity, reason: endReason(error) });
        }
        throw error;
      });
    }
    // Without `after`, start at the newest settled change, even if this instance has not read it
    // yet: the client asked for what happens from now on.
    // After a deploy thousands subscribe at once: one read of the head serves all who ask
    // meanwhile and until the next commit is notified (tuning.headReuseMs). A head read a
    // moment before a subscriber asked may let it begin with a change committed just before it
    // subscribed, which a subscription without `after` allows.
    const head = after ? null : await this.sharedSettledHead();
    const subscriber = new FeedSubscriber({
      host: this.subscriberHost,
      filter,
      wants: compileFilter(filter),
      position: after ?? latest(this.watermark, head),
      mode: after ? 'replaying' : 'live',
      capacity: this.options.subscriberBufferSize,
      signal,
      expiresAt,
      onEnd,
    });
    // The client left while we were setting up.
    if (signal?.aborted) {
      void subscriber.stream.return();
      return subscriber.stream;
    }
    this.subscribers.get(filter.entity)!.add(subscriber);
    this.openedCount += 1;
    this.events.emit('subscribed', { entity: filter.entity });
    return subscriber.stream;
  }

  /**
   * A cursor must be one this log gave out and not yet removed by retention. The horizon and
   * head are read once for all who resume at once (a proxy reload resumes thousands): an older
   * horizon only lets through a cursor that the replay then finds expired, and a head older than
   * the cursor is read again before the cursor is refused.
   */
  private async checkResumable(after: Position): Promise<void> {
    const [horizon, head] = await Promise.all([this.sharedHorizon(), this.sharedCommittedHead()]);
    if (comparePositions(after, horizon) < 0) throw cursorExpired();
    const ahead = (head: Position | null) => comparePositions(after, head ?? horizon) > 0;
    // Read afresh, not shared: a read begun before the cursor's change committed would refuse it.
    if (ahead(head) && ahead(await committedHead(this.options.pool))) {
      throw badInput(
        'after',
        'this cursor is ahead of every change: it did not come from this API',
      );
    }
  }

  /** Ready to deliver: listening for notifications (the readiness check reports it). */
  get ready(): boolean {
    return this.listener.listening;
  }

  /** Every settled change up to here has been read by this instance (for the lag metric). */
  get position(): Position {
    return this.watermark;
  }

  get subscriberCount(): number {
    return this.subscribers.get('book')!.size + this.subscribers.get('booking')!.size;
  }

  /** Closed: every subscription has ended and no more are taken. */
  get closed(): boolean {
    return this.shutDown;
  }

  /** How many subscriptions this feed has opened since it started. */
  get subscriptionsOpened(): number {
    return this.openedCount;
  }

  /**
   * Reads a replaying subscriber's next missed changes from the log. Once nothing is left up to
   * the watermark, and the watermark has not moved meanwhile, every later change will reach it
   * live: the watermark only moves in publish(), which fans out everything past it.
   */
  private async catchUp(subscriber: Subscriber): Promise<void> {
    while (subscriber.mode === 'replaying') {
      const until = this.watermark;
      if (comparePositions(subscriber.position, until) >= 0) {
        subscriber.mode = 'live';
        return;
      }
      const page = await this.replays.read(subscriber.position, until, subscriber.filter);
      if (page.expired) {
        subscriber.stream.fail(cursorExpired());
        return;
      }
      subscriber.position = page.reached;
      // Queued changes are taken first; sent directly, the next page can follow at once.
      if (page.events.length > 0 && (await subscriber.stream.replay(page.events))) return;
    }
  }

  /** Reads settled changes past the watermark and fans them out; one read at a time. */
  private async readNewChanges(): Promise<void> {
    if (this.shutDown) return;
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
          this.events.emit('logRead', { purpose: 'live' });
          page = await readChanges(this.options.pool, {
            after: this.watermark,
            limit: this.tuning.pageSize,
          });
          // Before the fan-out, so whoever gets these changes sees the hold-back reported over.
          this.held.observe(page.waiting);
          if (page.expired) await this.skipToHorizon();
          else if (page.changes.length > 0) await this.publish(page.changes);
        } while (page.expired || page.changes.length === this.tuning.pageSize);
        waiting = page.waiting;
      } while (this.readAgain && !this.shutDown);
      // Committed changes wait behind an older transaction still running; it may never notify
      // (another table), so look again soon.
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
    const previous = this.watermark;
    this.watermark = changes.at(-1)!.position;
    let rows = null;
    try {
      if (wanted.size) {
        this.events.emit('rowsRead', { changes: wanted.size });
        rows = await loadChangedRows(this.options.pool, [...wanted]);
      }
    } catch (error) {
      // Not delivered: read this batch again. Subscribers already past it skip it by position.
      this.watermark = previous;
      throw error;
    }
    // Whoever went live or started during an await (rows, results, a turn between slices) is
    // at or past the watermark: it skips this batch. Everyone live before it was counted in
    // `wanted`.
    const delivered = (event: ChangeEvent, count: number) =>
      this.events.emit('delivered', { event, replayed: false, count });
    for (const [entity, watchers] of this.subscribers) {
      const batch = changes
        .filter((change) => change.entity === entity)
        .map((change) => ({
          change,
          event: rows && wanted.has(change) ? toChangeEvent(change, rows) : null,
        }));
      if (batch.length === 0) continue;
      await prepareResults(batch, watchers);
      await fanOut(batch, watchers, delivered);
    }
    this.events.emit('published', { position: this.watermark });
  }

  /**
   * This instance fell further behind than retention keeps (it was stalled for longer than
   * CHANGE_LOG_RETENTION): its subscribers may have missed changes, so they must refetch.
   */
  private async skipToHorizon(): Promise<void> {
    logger.error('this instance fell behind the retained change log; ending its subscriptions');
    this.watermark = await retentionHorizon(this.options.pool);
    for (const watchers of this.subscribers.values()) {
      for (const subscriber of watchers) subscriber.stream.fail(cursorExpired());
    }
  }

  private someoneWants(change: ChangeRecord): boolean {
    for (const subscriber of this.subscribers.get(change.entity)!) {
      if (subscriber.mode === 'live' && subscriber.wants(change)) return true;
    }
    return false;
  }

  private retryLater() {
    if (this.shutDown) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.readNewChanges(), this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 1000);
  }

  /** Ends every subscription and releases the LISTEN connection. */
  async close(): Promise<void> {
    this.shutDown = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pollTimer);
    for (const watchers of this.subscribers.values()) {
      for (const subscriber of watchers) subscriber.stream.end();
    }
    this.events.emit('closed');
    await this.listener.close();
  }
}

/** Only the feed ends a stream with `end()`, when it closes; a consumer leaves with `return()`. */
function endReason(ending: StreamEnding): SubscriberEndReason {
  if (ending === 'end') return 'SERVER_SHUTDOWN';
  if (ending === 'return') return 'CLIENT_LEFT';
  return ending.extensions.code as SubscriberEndReason;
}

const latest = (a: Position, b: Position | null) => (b && comparePositions(b, a) > 0 ? b : a);
