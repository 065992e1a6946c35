import { DomainError } from '../errors.ts';
import type { ChangeEvent } from './changeEvent.ts';
import type { StreamItem } from './changeStream.ts';

/** Several changes delivered as one message; `cursor` is the last one's. */
export interface ChangeBatch {
  changes: ChangeEvent[];
  cursor: string;
}

export interface BatchLimits {
  /** A batch leaves once it holds this many changes... */
  maxBatch: number;
  /** ...or once this long has passed since its first change arrived. */
  maxWaitMs: number;
}

const timedOut = Symbol('timed out');

/**
 * A subscriber's change stream, delivered in batches: for dashboards and integrators following a
 * busy stream, one message instead of many. A batch starts with the first change that arrives
 * and leaves when full or `maxWaitMs` later, whichever is first. An error item (too slow, token
 * expired) goes out after the batch in hand, and ends the stream as it does unbatched.
 *
 * One read of the source is kept outstanding across batches (a read cannot be taken back), so
 * a change that arrives just as a batch leaves starts the next one.
 */
export class ChangeBatches implements AsyncIterableIterator<ChangeBatch | DomainError> {
  private readonly source: AsyncIterator<StreamItem>;
  private readonly limits: BatchLimits;
  private pending: Promise<IteratorResult<StreamItem>> | null = null;
  /** An error or the end, read while a batch was being filled: delivered after it. */
  private held: IteratorResult<StreamItem> | null = null;
  /** The consumer has left: nothing more is read. */
  private closed = false;

  constructor(source: AsyncIterator<StreamItem>, limits: BatchLimits) {
    this.source = source;
    this.limits = limits;
  }

  async next(): Promise<IteratorResult<ChangeBatch | DomainError>> {
    if (this.closed) return { value: undefined, done: true };
    const first = this.held ?? (await this.take());
    this.held = null;
    if (first.done) return first;
    if (first.value instanceof DomainError) return { value: first.value, done: false };
    const changes = [first.value];
    // One timer a batch, not one a change: a busy stream fills a batch change by change.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof timedOut>((resolve) => {
      timer = setTimeout(resolve, this.limits.maxWaitMs, timedOut);
    });
    try {
      while (changes.length < this.limits.maxBatch) {
        const item = await Promise.race([this.pendingRead(), timeout]);
        if (item === timedOut) break;
        this.pending = null;
        if (item.done || item.value instanceof DomainError) {
          this.held = item;
          break;
        }
        changes.push(item.value);
      }
    } finally {
      clearTimeout(timer);
    }
    return { value: { changes, cursor: changes.at(-1)!.cursor }, done: false };
  }

  async return(): Promise<IteratorResult<ChangeBatch>> {
    this.closed = true;
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ChangeBatch>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** The outstanding read of the source, started if there is none; kept until its item is used. */
  private pendingRead(): Promise<IteratorResult<StreamItem>> {
    return (this.pending ??= this.source.next());
  }

  private async take(): Promise<IteratorResult<StreamItem>> {
    const item = await this.pendingRead();
    this.pending = null;
    return item;
  }
}
