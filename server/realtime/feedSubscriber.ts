import { onTokenExpiry } from '../auth/expiry.ts';
import { DomainError } from '../errors.ts';
import type { ChangeEvent } from './changeEvent.ts';
import type { ChangeRecord } from './changeLog.ts';
import type { ChangeFilter } from './changeFilter.ts';
import { ChangeStream, type StreamEnding, type StreamOwner } from './changeStream.ts';
import type { Subscriber } from './fanOut.ts';
import type { Position } from './position.ts';

/** What a subscriber tells its feed. */
export interface SubscriberHost {
  catchUp(subscriber: Subscriber): Promise<void>;
  /** The subscriber's stream ended; may be told again for one that has already ended. */
  ended(subscriber: FeedSubscriber, ending: StreamEnding): void;
  delivered(event: ChangeEvent, replayed: boolean): void;
}

const slowConsumer = () =>
  new DomainError(
    'SLOW_CONSUMER',
    'Changes arrived faster than this client read them; resubscribe with `after` set to the last cursor received.',
  );
const tokenExpired = () =>
  new DomainError('UNAUTHENTICATED', 'The token has expired: subscribe again with a new one.');

/**
 * One subscription of the change feed, and its stream's owner. Methods rather than closures
 * (the stream's hooks, the abort listener): an idle subscription keeps all of it for as long as
 * its client stays.
 */
export class FeedSubscriber implements Subscriber, StreamOwner {
  readonly filter: ChangeFilter;
  readonly wants: (change: ChangeRecord) => boolean;
  position: Position;
  mode: 'replaying' | 'live';
  readonly stream: ChangeStream;
  readonly capacity: number;
  private readonly host: SubscriberHost;
  private readonly signal: AbortSignal | undefined;
  private readonly whenEnded: (() => void) | undefined;
  private readonly cancelExpiry: () => void;

  constructor(options: {
    host: SubscriberHost;
    filter: ChangeFilter;
    wants: (change: ChangeRecord) => boolean;
    position: Position;
    mode: 'replaying' | 'live';
    capacity: number;
    /** Aborted when the client leaves: the stream ends then. */
    signal?: AbortSignal;
    /** The token's expiry (seconds since the epoch): the stream fails then. */
    expiresAt?: number;
    onEnd?: () => void;
  }) {
    this.host = options.host;
    this.filter = options.filter;
    this.wants = options.wants;
    this.position = options.position;
    this.mode = options.mode;
    this.capacity = options.capacity;
    this.signal = options.signal;
    this.whenEnded = options.onEnd;
    this.stream = new ChangeStream(this);
    this.cancelExpiry = onTokenExpiry(options.expiresAt, () => this.stream.fail(tokenExpired()));
    // The subscriber itself listens (handleEvent): no closure to keep.
    this.signal?.addEventListener('abort', this, { once: true });
  }

  /** The client's signal fired: it left. */
  handleEvent(): void {
    void this.stream.return();
  }

  onOverflow(): DomainError {
    return slowConsumer();
  }

  onEnd(ending: StreamEnding): void {
    this.cancelExpiry();
    this.signal?.removeEventListener('abort', this);
    this.whenEnded?.();
    this.host.ended(this, ending);
  }

  refill(): Promise<void> {
    return this.host.catchUp(this);
  }

  onDelivered(event: ChangeEvent, replayed: boolean): void {
    this.host.delivered(event, replayed);
  }
}
