import type { DomainError } from '../errors.ts';
import type { ChangeEvent } from './changeEvent.ts';
import { deliverySlice } from './deliverySlice.ts';

/** A change, or the error that ends the stream (too slow, cursor expired, token expired). */
export type StreamItem = ChangeEvent | DomainError;

/** Writes a stream's live changes to its client without the iterator. */
export interface DirectSender {
  /** Starts making the change's result for this client: a promise while it is not ready. */
  prepare(event: ChangeEvent): Promise<unknown> | undefined;
  /** Writes the change's result if it is ready and the client keeps up; else returns false. */
  send(event: ChangeEvent): boolean;
  /** Holds writes back until `uncork()`, to send several changes in one system call. */
  cork?(): void;
  uncork?(): void;
}

/** How a stream ended: `end()` by its producer, `return()` by its consumer, or failed with an error. */
export type StreamEnding = 'end' | 'return' | DomainError;

/**
 * Who a stream answers to. Kept as given, and its methods called on it: the change feed's
 * subscriber is its stream's owner, with methods rather than a closure each.
 */
export interface StreamOwner {
  readonly capacity: number;
  onOverflow(): DomainError;
  /** Called when the stream ends; may be called again for a stream that has already ended. */
  onEnd(ending: StreamEnding): void;
  /** Fills an empty queue before waiting for pushes (a subscriber catching up from the log). */
  refill?(): Promise<void>;
  /** Called as the consumer takes a queued change, i.e. as its transport is handed it to send. */
  onDelivered?(event: ChangeEvent, replayed: boolean): void;
}

/**
 * One subscriber's queue of changes, consumed as an async iterator.
 *
 * Written by hand rather than as an async generator: a generator parked at an `await` runs its
 * cleanup only when the next value arrives, so a quiet subscription would leak after the client
 * left. Here `return()` releases at once. The live queue is bounded: past `capacity` undelivered
 * changes the stream drops them and ends with `onOverflow()`'s error, so one slow client can
 * neither slow the others nor grow memory without bound; it resumes later from its last cursor.
 */
export class ChangeStream implements AsyncIterableIterator<StreamItem> {
  private readonly queue: ChangeEvent[] = [];
  private waiting: ((result: IteratorResult<StreamItem>) => void) | null = null;
  private state: 'open' | 'failing' | 'ended' = 'open';
  private failure: DomainError | null = null;
  private readonly owner: StreamOwner;
  /** The queued changes that were read from the log; made by the first replay (most never do). */
  private replayed: WeakSet<ChangeEvent> | null = null;
  /**
   * Set by a transport that writes live changes to its client itself: then a change skips the
   * iterator layers between here and the socket (realtime/sharedResults.ts).
   */
  direct: DirectSender | null = null;

  constructor(owner: StreamOwner) {
    this.owner = owner;
  }

  /**
   * Hands over a live change. True when it went to the transport at once, which the caller
   * counts as delivered; a queued change is counted as the consumer takes it.
   */
  push(event: ChangeEvent): boolean {
    if (this.state !== 'open') return false;
    if (this.waiting) {
      // Waiting for its next change, the consumer has sent every earlier one: writing this one
      // directly keeps the order.
      if (!this.direct?.send(event)) this.settle({ value: event, done: false });
      return true;
    }
    if (this.queue.length >= this.owner.capacity) this.fail(this.owner.onOverflow());
    else this.queue.push(event);
    return false;
  }

  /** Adds changes read from the log while catching up: `refill` runs only on an empty queue. */
  enqueueReplay(events: ChangeEvent[]): void {
    const replayed = (this.replayed ??= new WeakSet());
    for (const event of events) replayed.add(event);
    this.queue.push(...events);
  }

  /**
   * Hands over changes read from the log while catching up. Called from `refill`, while the
   * consumer waits in `next()` having sent everything before, so a direct sender may write them
   * at once (in one write); what it does not take is queued. True when something was queued,
   * or the stream has ended.
   */
  async replay(events: ChangeEvent[]): Promise<boolean> {
    const direct = this.direct;
    let sent = 0;
    if (direct) {
      const making = events.map((event) => direct.prepare(event)).filter(Boolean);
      if (making.length) await Promise.allSettled(making);
      direct.cork?.();
      try {
        for (; sent < events.length && this.state === 'open'; sent += 1) {
          if (!direct.send(events[sent]!)) break;
          this.owner.onDelivered?.(events[sent]!, true);
        }
      } finally {
        direct.uncork?.(); // a socket left corked would silently stop sending
      }
      // A long catch-up lets I/O in between slices, as the live fan-out does.
      if (deliverySlice.spend(sent)) await deliverySlice.nextTurn();
    }
    // An ended stream needs no more pages: answer as if queued, so its catch-up stops.
    if (this.state !== 'open') return true;
    if (sent === events.length) return false;
    this.enqueueReplay(events.slice(sent));
    return true;
  }

  /** Drops what is queued and ends the stream with `error`, delivered as its last item. */
  fail(error: DomainError): void {
    if (this.state !== 'open') return;
    this.queue.length = 0;
    this.state = 'failing';
    this.failure = error;
    this.owner.onEnd(error);
    if (this.waiting) this.settle(this.take());
  }

  /** Ends the stream after what is already queued has been taken. */
  end(): void {
    if (this.state === 'open') this.state = 'ended';
    this.owner.onEnd('end');
    if (this.waiting) this.settle(this.take());
  }

  async next(): Promise<IteratorResult<StreamItem>> {
    if (this.queue.length === 0 && this.state === 'open' && this.owner.refill) {
      await this.owner.refill();
    }
    if (this.queue.length > 0) {
      while (deliverySlice.spent()) await deliverySlice.nextTurn();
      return this.take();
    }
    if (this.state !== 'open') return this.take();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  async return(): Promise<IteratorResult<StreamItem>> {
    this.queue.length = 0;
    this.state = 'ended';
    this.owner.onEnd('return');
    if (this.waiting) this.settle({ value: undefined, done: true });
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<StreamItem>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private take(): IteratorResult<StreamItem> {
    const event = this.queue.shift();
    if (event) {
      this.owner.onDelivered?.(event, this.replayed?.has(event) ?? false);
      return { value: event, done: false };
    }
    if (this.state === 'failing') {
      this.state = 'ended';
      return { value: this.failure!, done: false };
    }
    return { value: undefined, done: true };
  }

  private settle(result: IteratorResult<StreamItem>) {
    const resolve = this.waiting!;
    this.waiting = null;
    resolve(result);
  }
}
