import type { ServerResponse } from 'node:http';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { SharedResultSender } from '../context.ts';
import { logger } from '../logger.ts';
import { sharedJson } from '../realtime/sharedResults.ts';
import { hasRoomIn, startedOutput, writeEvents } from './eventOutput.ts';

/** What an operation delivers: its results, one at a time, then its end. */
export type OperationResults = AsyncIterator<ExecutionResult>;

interface Operation {
  /** Null while the operation is still being executed (its POST has not been answered). */
  results: OperationResults | null;
  /** Aborted when the operation is stopped: it is the subscription's `signal`. */
  stopped: AbortController;
  /** A result is being read: at most one at a time per operation. */
  reading: boolean;
  /** Its `next` events' text up to the payload, made once rather than per event. */
  nextPrefix: string;
}

/** An event written to the stream, or a keep-alive comment (`id` ''). */
interface Outgoing {
  id: string;
  text: string;
}

type StreamController = ReadableStreamDefaultController<Uint8Array>;
type ReadableStreamClass = typeof ReadableStream;

/** graphql-sse's own interval: a comment line keeps proxies from closing a quiet stream. */
const keepAlive: Outgoing = { id: '', text: ':\n\n' };

const nextPrefixOf = (id: string) => `event: next\ndata: {"id":${JSON.stringify(id)},"payload":`;
const nextEventEnd = '}\n\n';
/** A result shared by several subscribers is embedded as the JSON made once for all of them. */
const nextEvent = (operation: Operation, id: string, payload: ExecutionResult): Outgoing => ({
  id,
  text: operation.nextPrefix + (sharedJson.get(payload) ?? JSON.stringify(payload)) + nextEventEnd,
});

const completeEvent = (id: string): Outgoing => ({
  id,
  text: `event: complete\ndata: ${JSON.stringify({ id })}\n\n`,
});

/**
 * One reservation of graphql-sse's single-connection mode: the operations started on it and,
 * once its client connects, the one event stream that carries all their results.
 *
 * Events are written straight to the stream's Node response, as text (eventOutput.ts).
 *
 * Results are read from an operation only while the response has room (its buffer below the
 * high-water mark), and at most one at a time per operation. A client that reads slowly, or has
 * not connected yet, thus leaves its changes in the change feed's bounded per-subscriber buffer,
 * which ends the subscription with SLOW_CONSUMER once it overflows; nothing queues here.
 */
export class Reservation {
  readonly token: string;
  /** Who made it: `user:<id>` or `anon:<address>`. Only the same identity may use it. */
  readonly owner: string;
  readonly ownerSignedIn: boolean;
  private readonly operations = new Map<string, Operation>();
  /** Read but not yet written (the response was full): at most a next and a complete per operation. */
  private ready: Outgoing[] = [];
  private state: 'reserved' | 'streaming' | 'closed' = 'reserved';
  /** Set once the response's head has been written: events go here from then on. */
  private output: ServerResponse | null = null;
  private controller: StreamController | null = null;
  /** The client's side of the stream is gone (cancelled) or we have ended it. */
  private cancelled = false;
  private streamEnded = false;
  /** Until the client connects; dropped then, as it lives on for as long as the stream. */
  private expiry: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private readonly keepAliveMs: number;
  private readonly onClose: () => void;
  private readonly onReadFailure: (error: unknown) => GraphQLError;
  private readonly onDrain = () => this.writeReady();

  constructor(options: {
    token: string;
    owner: string;
    ownerSignedIn: boolean;
    /** Not connected within this time, the reservation closes. */
    connectWithinMs: number;
    /** How often a comment keeps the stream's proxies and client from timing it out. */
    keepAliveMs: number;
    onClose: () => void;
    /** The error sent for a result that failed to be read (the subscription then ends). */
    onReadFailure: (error: unknown) => GraphQLError;
  }) {
    this.token = options.token;
    this.owner = options.owner;
    this.ownerSignedIn = options.ownerSignedIn;
    this.onClose = options.onClose;
    this.onReadFailure = options.onReadFailure;
    this.keepAliveMs = options.keepAliveMs;
    this.expiry = setTimeout(closeUnconnected, options.connectWithinMs, this);
    this.expiry.unref();
  }

  get connected(): boolean {
    return this.state === 'streaming';
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Operations started and not yet ended, those still executing included. */
  get operationCount(): number {
    return this.operations.size;
  }

  has(id: string): boolean {
    return this.operations.has(id);
  }

  /** Takes a place for operation `id` while it executes; its signal aborts when it is stopped. */
  begin(id: string): AbortSignal {
    const operation: Operation = {
      results: null,
      stopped: new AbortController(),
      reading: false,
      nextPrefix: nextPrefixOf(id),
    };
    this.operations.set(id, operation);
    return operation.stopped.signal;
  }

  /** Hands over the executed operation's results; false when it was stopped meanwhile. */
  attach(id: string, results: OperationResults): boolean {
    const operation = this.operations.get(id);
    // A reservation may close (expire, its stream end) while an operation executes.
    if (!operation || operation.results || this.state === 'closed') {
      void finish(results);
      return false;
    }
    operation.results = results;
    if (this.hasRoom()) this.readOperations();
    return true;
  }

  /**
   * Writes a live result of operation `id` that several subscribers share, straight from the
   * change feed (realtime/sharedResults.ts), while the response has room and nothing read is
   * waiting to be written, so results keep their order and a slow client still holds its
   * changes back in the feed. Otherwise false: the result is read from the operation as usual.
   */
  sendShared(id: string, json: string, operation: Operation | undefined): boolean {
    if (
      !this.hasRoom() ||
      this.ready.length > 0 ||
      !operation?.results ||
      this.operations.get(id) !== operation
    ) {
      return false;
    }
    this.write(operation.nextPrefix + json + nextEventEnd);
    return true;
  }

  /** Stops an operation (the client's DELETE): no more of its results are read or written. */
  stop(id: string): void {
    const operation = this.operations.get(id);
    if (!operation) return;
    this.operations.delete(id);
    this.ready = this.ready.filter((outgoing) => outgoing.id !== id);
    operation.stopped.abort();
    if (operation.results) void finish(operation.results);
  }

  /**
   * The event stream, as the body of a response that `response` will carry. It lives as long
   * as `lifetime` (the GET request's signal, aborted when its response closes); when it ends,
   * the reservation closes with it.
   */
  connect(
    Stream: ReadableStreamClass,
    lifetime: AbortSignal,
    response: ServerResponse,
  ): ReadableStream<Uint8Array> {
    this.state = 'streaming';
    clearTimeout(this.expiry);
    this.expiry = undefined;
    lifetime.addEventListener('abort', () => this.close(), { once: true });
    this.keepAliveTimer = setInterval(pingIfIdle, this.keepAliveMs, this);
    this.keepAliveTimer.unref();
    const stream = new Stream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        const output = startedOutput(response);
        if (this.state === 'closed') {
          this.endStream();
          return;
        }
        this.output = output;
        // Some browsers only report the stream open once its first bytes arrive.
        this.write(keepAlive.text);
        this.readOperations();
      },
      cancel: () => {
        this.cancelled = true;
        this.close();
      },
    });
    if (lifetime.aborted) this.close();
    return stream;
  }

  /** Only into an idle stream: a stalled one needs no more bytes queued. */
  pingIfIdle(): void {
    if (this.hasRoom() && this.ready.length === 0) this.write(keepAlive.text);
  }

  /**
   * The sender of the running operation `id`'s shared results, for its context (see
   * sendShared). Bound to that operation: a later one under the same id has its own.
   */
  sharedResultSender(id: string): SharedResultSender {
    return new OperationResultSender(this, id, this.operations.get(id));
  }

  /** Ends every operation and the stream (without `complete`s: clients take it as a network error). */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.expiry);
    clearInterval(this.keepAliveTimer);
    for (const id of [...this.operations.keys()]) this.stop(id);
    this.ready = [];
    this.endStream();
    this.onClose();
  }

  /** Streaming, and the response takes more without waiting for its client. */
  private hasRoom(): boolean {
    return this.state === 'streaming' && this.output !== null && hasRoomIn(this.output);
  }

  private write(text: string): void {
    writeEvents(this.output!, text, this.onDrain);
  }

  /** Writes what was read while the response was full, in one write, then reads on. */
  private writeReady(): void {
    if (!this.hasRoom()) return;
    if (this.ready.length > 0) {
      const outgoing = this.ready.splice(0);
      this.write(outgoing.map((event) => event.text).join(''));
    }
    if (this.hasRoom()) this.readOperations();
  }

  /** Starts reading one result from every operation not already being read. */
  private readOperations(): void {
    for (const [id, operation] of this.operations) {
      if (operation.results && !operation.reading) void this.readOne(id, operation);
    }
  }

  private async readOne(id: string, operation: Operation): Promise<void> {
    operation.reading = true;
    let outgoing: Outgoing[];
    let ended: boolean;
    try {
      const result = await operation.results!.next();
      ended = result.done === true;
      outgoing = ended ? [completeEvent(id)] : [nextEvent(operation, id, result.value)];
    } catch (error) {
      ended = true;
      outgoing = [
        nextEvent(operation, id, { errors: [this.onReadFailure(error)] }),
        completeEvent(id),
      ];
    }
    if (this.operations.get(id) !== operation) return; // stopped meanwhile
    operation.reading = false;
    if (ended) this.operations.delete(id);
    this.ready.push(...outgoing);
    this.writeReady();
  }

  private endStream(): void {
    if (this.streamEnded || this.cancelled || !this.controller) return;
    this.streamEnded = true;
    // Yoga ends the response once its body ends, after what was written to it.
    this.controller.close();
  }
}

/** One timer callback for every reservation, rather than a closure each. */
const closeUnconnected = (reservation: Reservation) => reservation.close();
const pingIfIdle = (reservation: Reservation) => reservation.pingIfIdle();

/** Sends one operation's shared results into its reservation's stream: two fields, no closure. */
class OperationResultSender implements SharedResultSender {
  private readonly reservation: Reservation;
  private readonly id: string;
  private readonly operation: Operation | undefined;

  constructor(reservation: Reservation, id: string, operation: Operation | undefined) {
    this.reservation = reservation;
    this.id = id;
    this.operation = operation;
  }

  send(json: string): boolean {
    return this.reservation.sendShared(this.id, json, this.operation);
  }
}

/** Ends an operation's results early; its change stream is released at once. */
async function finish(results: OperationResults): Promise<void> {
  try {
    await results.return?.();
  } catch (error) {
    logger.warn('ending a single-connection SSE operation failed', { error });
  }
}
