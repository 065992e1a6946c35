import type { ChangeEvent } from './changeEvent.ts';

/** Yielded once, last, when a subscriber fell further behind than its buffer allows. */
export const overflowed = Symbol('overflowed');
export type StreamItem = ChangeEvent | typeof overflowed;

/**
 * One subscriber's queue of changes, consumed as an async iterator.
 *
 * Written by hand rather than as an async generator: a generator parked at an `await` runs its
 * cleanup only when the next value arrives, so a quiet subscription would leak after the client
 * left. Here `return()` releases at once. The queue is bounded: past `capacity` undelivered
 * changes the stream drops them, yields `overflowed` and ends, so one slow client can neither
 * slow the others nor grow memory without bound; it resumes later from its last cursor.
 */
export class ChangeStream implements AsyncIterableIterator<StreamItem> {
  private readonly queue: ChangeEvent[] = [];
  private waiting: ((result: IteratorResult<StreamItem>) => void) | null = null;
  private state: 'open' | 'overflowed' | 'ended' = 'open';
  private readonly capacity: number;
  private readonly onEnd: () => void;
  /** Fills the queue when it is empty, before waiting for pushes (used while catching up). */
  private readonly refill: (() => Promise<void>) | null;

  constructor(options: { capacity: number; onEnd: () => void; refill?: () => Promise<void> }) {
    this.capacity = options.capacity;
    this.onEnd = options.onEnd;
    this.refill = options.refill ?? null;
  }

  push(event: ChangeEvent): void {
    if (this.state !== 'open') return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
    } else if (this.queue.length >= this.capacity) {
      this.queue.length = 0;
      this.state = 'overflowed';
      this.onEnd();
    } else {
      this.queue.push(event);
    }
  }

  /** Ends the stream after what is already queued has been taken. */
  end(): void {
    if (this.state === 'open') this.state = 'ended';
    this.onEnd();
    this.wake();
  }

  async next(): Promise<IteratorResult<StreamItem>> {
    if (this.queue.length === 0 && this.state === 'open' && this.refill) await this.refill();
    const event = this.queue.shift();
    if (event) return { value: event, done: false };
    if (this.state === 'overflowed') {
      this.state = 'ended';
      return { value: overflowed, done: false };
    }
    if (this.state === 'ended') return { value: undefined, done: true };
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Adds events read from the change log while catching up; never counts toward overflow. */
  enqueueReplay(events: ChangeEvent[]): void {
    this.queue.push(...events);
  }

  async return(): Promise<IteratorResult<StreamItem>> {
    this.queue.length = 0;
    this.state = 'ended';
    this.onEnd();
    this.wake();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<StreamItem>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private wake() {
    if (!this.waiting) return;
    const resolve = this.waiting;
    this.waiting = null;
    resolve(
      this.queue.length
        ? { value: this.queue.shift()!, done: false }
        : { value: undefined, done: true },
    );
  }
}
