import type { ServerResponse } from 'node:http';
import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, SharedResultSender } from '../context.ts';
import { resultCursor, sharedJson } from '../realtime/sharedResults.ts';
import { hasRoomIn, startedOutput, writeEvents } from './eventOutput.ts';
import { sharedEventText } from './sharedEventText.ts';

type StreamController = ReadableStreamDefaultController<Uint8Array>;
type FetchApi = { ReadableStream: typeof ReadableStream; Response: typeof Response };

const ping = ':\n\n';
/**
 * A result as an event, with its change's cursor as the event's id: a browser's EventSource sends
 * the last one back as Last-Event-ID when it reconnects, and resumes right after it. A refused
 * cursor (expired, or not one of ours) gets an empty id, which clears it: the reconnect starts
 * afresh rather than repeating it. Other errors (too slow, token expired) leave the id as it was,
 * so the reconnect resumes after the last change received.
 */
const nextEvent = (json: string, id: string | undefined) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: next\ndata: ${json}\n\n`;
function eventIdOf(result: ExecutionResult): string | undefined {
  const cursor = resultCursor(result);
  if (cursor !== undefined) return cursor;
  const refusedCursor = result.errors?.some(
    ({ extensions }) =>
      extensions.code === 'CURSOR_EXPIRED' ||
      (extensions.code === 'BAD_USER_INPUT' && extensions.field === 'after'),
  );
  return refusedCursor ? '' : undefined;
}
const completeEvent = 'event: complete\ndata:\n\n';
const sharedNextEvent = sharedEventText(nextEvent);

/**
 * Subscriptions over SSE in graphql-sse's distinct connections mode (an event stream per
 * operation at /graphql), written in the same format as Yoga's own SSE result processor, which
 * this replaces for subscriptions: Yoga's reads every result through the iterator layers and
 * writes two chunks per event, and the profile showed those layers as the wall. Here a live
 * result that several subscribers share goes straight from the change feed into the stream
 * while the stream asks for more; everything else (errors, the end) is read from the operation.
 */
export function useDistinctSseStreams(options: { keepAliveMs: number }): Plugin<Context> {
  const streams = new WeakMap<Request, OperationEventStream>();
  return {
    onContextBuilding({ context, extendContext }) {
      const { request } = context as { request?: Request };
      // The WebSocket transport sends its own shared results; single-connection SSE has its own.
      if (
        !request ||
        (context as Partial<Context>).sendSharedResult ||
        !wantsEventStream(request)
      ) {
        return;
      }
      const stream = new OperationEventStream(options.keepAliveMs);
      streams.set(request, stream);
      extendContext({
        sendSharedResult: stream,
        lastEventId: request.headers.get('last-event-id') ?? undefined,
      } satisfies Partial<Context> as never);
    },
    onResultProcess({ request, result, setResultProcessor, serverContext }) {
      const stream = streams.get(request);
      const response = (serverContext as { res?: ServerResponse }).res;
      if (!stream || !response || !(Symbol.asyncIterator in result)) return;
      setResultProcessor(
        (results, fetchAPI) =>
          stream.respond(results as AsyncIterable<ExecutionResult>, fetchAPI as FetchApi, response),
        'text/event-stream',
      );
    },
  };
}

/** Read, never written, by every response (Headers keeps what is set later in a map of its own). */
const eventStreamHeaders = Object.freeze({
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'no-cache',
  'Content-Encoding': 'none',
});

/** One keep-alive timer callback for every stream, rather than a closure each. */
const pingIfIdle = (stream: OperationEventStream) => stream.pingIfIdle();

function wantsEventStream(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept);
}

/**
 * One operation's event stream. Events are written as text straight to the Node response
 * (eventOutput.ts).
 *
 * Results are read one at a time, and only while the response has room (its buffer below the
 * high-water mark), so a client that reads slowly leaves its changes in the change feed's
 * bounded buffer, which ends it with SLOW_CONSUMER once full; nothing queues here.
 *
 * It is its response body's underlying source and its operation's shared result sender itself,
 * rather than closures around it: it lives as long as its client stays.
 */
export class OperationEventStream
  implements UnderlyingDefaultSource<Uint8Array>, SharedResultSender
{
  private readonly keepAliveMs: number;
  private results: AsyncIterator<ExecutionResult> | null = null;
  private controller: StreamController | null = null;
  /** The Node response, written to once its head has been (from `start`). */
  private response: ServerResponse | null = null;
  private keepAlive: NodeJS.Timeout | undefined;
  /**
   * Read from the operation, not yet written (the response was full). Not named `read`:
   * whatwg-node takes an underlying source with a `read` for a Node stream.
   */
  private unwritten: IteratorResult<ExecutionResult> | null = null;
  private reading = false;
  private failure: unknown = null;
  private closed = false;
  private readonly onDrain = () => this.writeUnwritten();

  constructor(keepAliveMs: number) {
    this.keepAliveMs = keepAliveMs;
  }

  respond(
    results: AsyncIterable<ExecutionResult>,
    fetchAPI: FetchApi,
    response: ServerResponse,
  ): Response {
    this.results = results[Symbol.asyncIterator]();
    this.response = response;
    return new fetchAPI.Response(new fetchAPI.ReadableStream<Uint8Array>(this), {
      status: 200,
      headers: eventStreamHeaders,
    });
  }

  start(controller: StreamController): void {
    startedOutput(this.response!);
    this.controller = controller;
    // Some browsers report the stream open only once its first bytes arrive.
    this.write(ping);
    this.keepAlive = setInterval(pingIfIdle, this.keepAliveMs, this);
    this.keepAlive.unref();
    this.readOne();
  }

  cancel(): void {
    this.stop();
    void this.results?.return?.();
  }

  /** No more is written: the keep-alive stops, so nothing keeps this stream alive. */
  private stop(): void {
    this.closed = true;
    clearInterval(this.keepAlive);
  }

  /** Only into an idle stream: a stalled one needs no more bytes queued. */
  pingIfIdle(): void {
    if (this.hasRoom() && !this.unwritten) this.write(ping);
  }

  /**
   * Writes a live result several subscribers share, straight from the change feed, while the
   * response has room and nothing read waits to be written (so results keep their order).
   * Otherwise false: the result is read from the operation as usual.
   */
  send(json: string, cursor: string): boolean {
    if (!this.hasRoom() || this.unwritten) return false;
    this.write(sharedNextEvent(json, cursor));
    return true;
  }

  /** Streaming, and the response takes more without waiting for its client. */
  private hasRoom(): boolean {
    return !this.closed && this.controller !== null && hasRoomIn(this.response!);
  }

  private write(text: string): void {
    writeEvents(this.response!, text, this.onDrain);
  }

  /** Writes what was read, when there is room for it, then reads on. */
  private writeUnwritten(): void {
    if (this.closed) return;
    if (this.failure) {
      this.stop();
      this.controller?.error(this.failure);
      return;
    }
    if (!this.hasRoom()) return;
    const read = this.unwritten;
    this.unwritten = null;
    if (read?.value != null) this.write(eventOf(read.value));
    if (read?.done) {
      this.stop();
      this.write(completeEvent);
      // Yoga ends the response once its body ends, after what was written to it.
      this.controller!.close();
      return;
    }
    if (this.hasRoom()) this.readOne();
  }

  /** Starts reading the next result, unless one is being read or waits to be written. */
  private readOne() {
    if (this.reading || this.unwritten || this.closed) return;
    this.reading = true;
    this.results!.next().then(
      (read) => {
        this.reading = false;
        this.unwritten = read;
        this.writeUnwritten();
      },
      (error: unknown) => {
        this.reading = false;
        this.failure = error;
        this.writeUnwritten();
      },
    );
  }
}

/** A result read from the operation as an event: a shared one's text is shared too. */
function eventOf(result: ExecutionResult): string {
  const id = eventIdOf(result);
  return sharedJson.has(result) && id
    ? sharedNextEvent(jsonOf(result), id)
    : nextEvent(jsonOf(result), id);
}

/**
 * A shared result's JSON, made once for all; any other serialised as Yoga would, without the
 * extensions Yoga keeps for itself (`http`, `unexpected`).
 */
function jsonOf(result: ExecutionResult): string {
  const shared = sharedJson.get(result);
  if (shared !== undefined) return shared;
  const { extensions, ...rest } = result;
  return JSON.stringify({
    ...rest,
    errors: result.errors?.map(withoutInternals),
    extensions: withoutYogaKeys(extensions),
  });
}

function withoutInternals(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  return { ...formatted, extensions: withoutYogaKeys(formatted.extensions) };
}

function withoutYogaKeys(extensions: Record<string, unknown> | undefined) {
  if (!extensions) return undefined;
  const kept = Object.entries(extensions).filter(([key]) => key !== 'http' && key !== 'unexpected');
  return kept.length ? Object.fromEntries(kept) : undefined;
}
