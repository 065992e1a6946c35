// Child process: many subscribers over real protocol clients, noting when each commit arrives.
import { type ClientRequest, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { commitIndexOf } from './database.ts';
import {
  type GroupResult,
  type SubscriberGroup,
  type SubscribersCommand,
  type SubscribersMessage,
  type Subscription,
  clock,
  onParentCommand,
  pacedBatch,
  pacedEveryMs,
  tellParent,
  trafficBucketMs,
} from './processes.ts';

const selection = '{ cursor kind at book { id title copies } }';

/**
 * The subscription a subscriber of `subscription` sends; resuming right after a change it
 * received when `after` is given (the reconnect scenario).
 */
function requestOf(subscription: Subscription, after: string | undefined) {
  const args = [
    ...(after === undefined ? [] : ['after: $after']),
    ...(subscription.field === 'bookChanges'
      ? [`maxBatch: ${subscription.maxBatch}`, `maxWaitMs: ${subscription.maxWaitMs}`]
      : []),
  ];
  const field = args.length ? `${subscription.field}(${args.join(', ')})` : subscription.field;
  const selected =
    subscription.field === 'bookChanges' ? `{ cursor changes ${selection} }` : selection;
  return after === undefined
    ? { query: `subscription { ${field} ${selected} }` }
    : { query: `subscription ($after: String) { ${field} ${selected} }`, variables: { after } };
}

interface DeliveredChange {
  cursor?: unknown;
  book?: { title?: unknown } | null;
}

/** What a subscriber received, shaped as a GraphQL result: one change, or a batch of them. */
interface Delivery {
  data?: {
    bookChanged?: DeliveredChange | null;
    bookChanges?: { changes?: readonly (DeliveredChange | null)[] | null } | null;
  } | null;
  errors?: readonly unknown[];
}

/** A WebSocket message's data length in bytes, whatever form `ws` hands it over in. */
const byteLength = (data: WebSocket.RawData) =>
  Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;

/** One subscriber's connection. Once dropped, nothing it still reports counts. */
interface Connection {
  dropped: boolean;
  /**
   * Closes it at once, as a network drop or a proxy reload would; resolves once its sockets
   * are closed, and their descriptors free for the reconnect.
   */
  close(): Promise<void>;
}

class Group {
  readonly result: GroupResult;
  /** Each subscriber's current connection. */
  readonly current: (Connection | undefined)[];
  /** The cursor of the last change each subscriber received: where it resumes from. */
  readonly lastCursor: (string | undefined)[];
  /** The loopback address each subscriber connects from, the same on every reconnect. */
  readonly address: string[];
  /** Connections of this group open now: WebSockets and HTTP connections opened, less those closed. */
  open = 0;
  private readonly commits: number;

  constructor(group: SubscriberGroup, commits: number) {
    this.commits = commits;
    this.result = {
      ...group,
      receivedAt: new Float64Array(group.count * commits).fill(Number.NaN),
      trafficFrom: clock(),
      messagesByBucket: [],
      bytesByBucket: [],
      duplicates: 0,
      duplicatesBySubscriber: new Uint32Array(group.count),
      connectedAt: new Float64Array(group.count).fill(Number.NaN),
      droppedAt: Number.NaN,
      unexpected: 0,
      errors: 0,
      ended: 0,
      retried: 0,
      retriedAfterDrop: 0,
    };
    this.current = new Array<Connection | undefined>(group.count);
    this.lastCursor = new Array<string | undefined>(group.count);
    this.address = new Array<string>(group.count);
  }

  /** Notes a result for subscriber `subscriber`, received at `at`: each change it carries. */
  record(subscriber: number, delivery: Delivery, at: number): void {
    this.tally(this.result.messagesByBucket, at, 1);
    if (delivery.errors?.length) return this.fail(JSON.stringify(delivery.errors));
    const changes =
      this.result.subscription.field === 'bookChanges'
        ? (delivery.data?.bookChanges?.changes ?? [])
        : [delivery.data?.bookChanged];
    // A batch is never empty: one that is counts as a delivery that names no commit.
    if (changes.length === 0) this.result.unexpected += 1;
    for (const change of changes) this.recordChange(subscriber, change, at);
  }

  /** Notes `bytes` of payload read at `at`. */
  noteBytes(at: number, bytes: number): void {
    this.tally(this.result.bytesByBucket, at, bytes);
  }

  private recordChange(
    subscriber: number,
    change: DeliveredChange | null | undefined,
    at: number,
  ): void {
    const index = commitIndexOf(change?.book?.title);
    if (index < 0 || index >= this.commits) {
      this.result.unexpected += 1;
      return;
    }
    if (typeof change?.cursor === 'string') this.lastCursor[subscriber] = change.cursor;
    delivered += 1;
    const slot = subscriber * this.commits + index;
    if (Number.isNaN(this.result.receivedAt[slot])) {
      this.result.receivedAt[slot] = at;
      received += 1;
    } else {
      this.result.duplicates += 1;
      this.result.duplicatesBySubscriber[subscriber]! += 1;
    }
  }

  /** A connect failed and is tried again. */
  noteRetry(): void {
    if (Number.isNaN(this.result.droppedAt)) this.result.retried += 1;
    else this.result.retriedAfterDrop += 1;
  }

  fail(error: unknown): void {
    this.result.errors += 1;
    this.result.firstError ??= describe(error);
  }

  /** Adds `amount` to the bucket of `buckets` that time `at` falls in. */
  private tally(buckets: number[], at: number, amount: number): void {
    const bucket = Math.floor((at - this.result.trafficFrom) / trafficBucketMs);
    while (buckets.length <= bucket) buckets.push(0);
    buckets[bucket]! += amount;
  }
}

/**
 * An Error, a socket's error or close event (graphql-ws reports those; `ws` keeps an event's
 * fields on getters, which JSON leaves out), or GraphQL errors, as text.
 */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error && 'target' in error) {
    return `socket error: ${String(error.message)}`;
  }
  if (error && typeof error === 'object' && 'code' in error) {
    const { code, reason } = error as { code: unknown; reason?: unknown };
    return `socket closed with code ${String(code)} ${String(reason ?? '')}`.trim();
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
}

let received = 0;
let delivered = 0;
const groups: Group[] = [];
const started = { cpu: process.cpuUsage(), wall: clock() };

/** An event stream's body as graphql-sse reads it, `onBytes` hearing of each chunk as it is read. */
async function* countedBody(body: AsyncIterable<Buffer>, onBytes: (bytes: number) => void) {
  for await (const chunk of body) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/**
 * The `fetch` graphql-sse needs, from `localAddress`: it reads the status and the body, as a
 * stream or (a single-connection reservation's token) as text. Each TCP connection counts as an
 * open connection of `group` until it closes (a response nobody reads, as the 202 to a
 * single-connection operation, never reports its own close); `on.stream` hears of each event
 * stream and `on.bytes` of the bytes read from it; `open` holds each request until its socket
 * has closed.
 */
function fetchFrom(
  localAddress: string,
  group: Group,
  on: { stream: () => void; bytes: (bytes: number) => void },
  open: Set<ClientRequest>,
) {
  return (
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
  ) =>
    new Promise((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: init.method,
          headers: init.headers,
          localAddress,
          agent: false,
          signal: init.signal,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const eventStream = response.headers['content-type']?.startsWith('text/event-stream');
          if (eventStream) on.stream();
          // A Node stream is async iterable over Buffers, which graphql-sse reads as it would a
          // web stream.
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? '',
            body: eventStream ? countedBody(response as AsyncIterable<Buffer>, on.bytes) : response,
            text: async () => {
              const chunks: Buffer[] = [];
              for await (const chunk of response) chunks.push(chunk as Buffer);
              return Buffer.concat(chunks).toString();
            },
          });
        },
      );
      open.add(request);
      request.once('close', () => open.delete(request));
      // No keep-alive agent: each request has a socket of its own.
      request.once('socket', (socket) => {
        let connected = false;
        socket.once('connect', () => {
          connected = true;
          group.open += 1;
        });
        socket.once('close', () => {
          if (connected) group.open -= 1;
        });
      });
      request.once('error', reject);
      request.end(init.body);
    });
}

/** A WebSocket class for graphql-ws that connects from `localAddress`, one per address. */
const webSocketsFrom = new Map<string, unknown>();
function webSocketFrom(localAddress: string): unknown {
  if (!webSocketsFrom.has(localAddress)) {
    webSocketsFrom.set(
      localAddress,
      class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { localAddress });
        }
      },
    );
  }
  return webSocketsFrom.get(localAddress);
}

/** Resolves at the `close` event (an `error` before it does not reject). */
const closeOf = (emitter: { once(event: 'close', listener: () => void): unknown }) =>
  new Promise<void>((resolve) => emitter.once('close', () => resolve()));

/**
 * Times a failed connect is tried again, as graphql-ws's and graphql-sse's clients do by default:
 * a mass connect can find the kernel's accept queue full for seconds.
 */
const connectRetries = 5;

/** graphql-ws's default wait before retry `attempt` (from 0): exponential, randomised. */
const retryWaitMs = (attempt: number) => 1000 * 2 ** attempt + 300 + Math.random() * 2700;

/** Opens subscriber `subscriber`'s connection and subscription, from `after` when given. */
function subscribe(group: Group, subscriber: number, after: string | undefined): Connection {
  const { transport, url } = group.result;
  const localAddress = group.address[subscriber]!;
  const connection: Connection = { dropped: false, close: () => Promise.resolve() };
  const connected = () => {
    if (!connection.dropped) group.result.connectedAt[subscriber] = clock();
  };
  const sink = {
    next: (delivery: Delivery) => {
      if (!connection.dropped) group.record(subscriber, delivery, clock());
    },
    error: (error: unknown) => {
      if (!connection.dropped) group.fail(error);
    },
    complete: () => {
      if (!connection.dropped) group.result.ended += 1;
    },
  };
  const noteBytes = (bytes: number) => {
    if (!connection.dropped) group.noteBytes(clock(), bytes);
  };
  const request = requestOf(group.result.subscription, after);
  if (transport === 'graphql-ws') {
    let socket: WebSocket | undefined;
    let acknowledged = false;
    const client = createWsClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: webSocketFrom(localAddress),
      retryAttempts: connectRetries,
      // A connection lost once acknowledged is a fault of the run, not tried again; nor is one
      // dropped on purpose.
      shouldRetry: () => !acknowledged && !connection.dropped,
      on: {
        connecting: (isRetry) => {
          if (isRetry && !connection.dropped) group.noteRetry();
        },
        opened: (opened) => {
          // A retry that was waiting when the connection was dropped (dispose does not stop it).
          if (connection.dropped) return (opened as WebSocket).terminate();
          socket = opened as WebSocket;
          socket.on('message', (data: WebSocket.RawData) => noteBytes(byteLength(data)));
          group.open += 1;
        },
        connected: () => {
          acknowledged = true;
          connected();
        },
        closed: () => {
          if (socket) group.open -= 1;
          socket = undefined;
        },
      },
    });
    client.subscribe(request, sink);
    connection.close = () => {
      // The latest attempt's socket: none while a retry waits or after the last one failed.
      const closing = socket ? closeOf(socket) : Promise.resolve();
      socket?.terminate();
      void client.dispose();
      return closing;
    };
  } else if (
    transport === 'graphql-sse' ||
    transport === 'sse' ||
    transport === 'graphql-sse-single' ||
    transport === 'sse-single'
  ) {
    // Distinct connections mode: one event-stream response per subscription, as Yoga serves it
    // (and the baseline its plain event stream). Single-connection mode: a reservation, one
    // event stream and its operation, per subscriber.
    const single = transport === 'graphql-sse-single' || transport === 'sse-single';
    const requests = new Set<ClientRequest>();
    const client = createSseClient({
      url: single ? `${url}/stream` : url,
      singleConnection: single,
      // graphql-sse also tries again a stream lost after results came: such a run shows
      // repeated or lost changes, as it should.
      retryAttempts: connectRetries,
      on: {
        connecting: (reconnecting) => {
          if (reconnecting) group.noteRetry();
        },
      },
      fetchFn: fetchFrom(localAddress, group, { stream: connected, bytes: noteBytes }, requests),
    });
    client.subscribe(request, sink);
    // Aborts every request of the client, which destroys its sockets (no keep-alive agent).
    connection.close = async () => {
      const closing = [...requests].map(closeOf);
      client.dispose();
      await Promise.all(closing);
    };
  } else {
    // A plain WebSocket has no retry of its own: a connect that failed is tried again as
    // graphql-ws's client would.
    const open = (attempt: number) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), { localAddress });
      let opened = false;
      const retrying = () => !opened && attempt < connectRetries && !connection.dropped;
      socket.on('open', () => {
        opened = true;
        group.open += 1;
        connected();
      });
      socket.on('message', (data: Buffer) => {
        const at = clock();
        if (connection.dropped) return;
        group.noteBytes(at, data.length);
        group.record(
          subscriber,
          (JSON.parse(data.toString()) as { payload: Delivery }).payload,
          at,
        );
      });
      socket.on('error', (error) => {
        if (!retrying()) sink.error(error);
      });
      socket.on('close', () => {
        if (opened) group.open -= 1;
        if (!retrying()) return sink.complete();
        group.noteRetry();
        setTimeout(() => {
          if (!connection.dropped) open(attempt + 1);
        }, retryWaitMs(attempt));
      });
      connection.close = async () => {
        if (socket.readyState === WebSocket.CLOSED) return;
        const closed = closeOf(socket);
        socket.terminate();
        await closed;
      };
    };
    open(0);
  }
  return connection;
}

/**
 * Calls `open` for every subscriber of every group, all at once (a mass connect, as after a
 * deploy) or paced, interleaved: the server fans a change out in subscription order, so opening
 * one transport's (or one server's) subscribers first would make it look faster than the other.
 */
async function forEachSubscriber(
  connect: 'mass' | 'paced',
  open: (group: Group, subscriber: number) => void,
): Promise<void> {
  let opened = 0;
  const most = Math.max(...groups.map((group) => group.result.count));
  for (let subscriber = 0; subscriber < most; subscriber++) {
    for (const group of groups) {
      if (subscriber >= group.result.count) continue;
      open(group, subscriber);
      if (connect === 'paced' && ++opened % pacedBatch === 0) await sleep(pacedEveryMs);
    }
  }
}

/** How `start` said to connect: subscribing again after a drop connects the same way. */
let connectMode: 'mass' | 'paced' = 'mass';

/**
 * Opens the groups' subscribers. Subscriber `n` (in the interleaved order) connects from the
 * address `n` places after `firstAddress`, so each address holds a near-equal share of the
 * connections.
 */
async function start(command: Extract<SubscribersCommand, { type: 'start' }>): Promise<void> {
  const { localAddresses, firstAddress } = command;
  connectMode = command.connect;
  groups.push(...command.groups.map((spec) => new Group(spec, command.commits)));
  let opened = 0;
  await forEachSubscriber(connectMode, (group, subscriber) => {
    group.address[subscriber] = localAddresses[(firstAddress + opened++) % localAddresses.length]!;
    group.current[subscriber] = subscribe(group, subscriber, undefined);
  });
}

/** How long the dropped connections may take to close before the reconnect goes ahead. */
const closeLimitMs = 10_000;

/**
 * Drops every connection in one go, then subscribes each subscriber again, from the last cursor
 * it received when `resume` (a subscriber that received nothing yet starts from now).
 */
async function dropAndSubscribeAgain(resume: boolean): Promise<void> {
  const droppedAt = clock();
  const closing: Promise<void>[] = [];
  for (const group of groups) {
    group.result.droppedAt = droppedAt;
    for (const connection of group.current) {
      if (!connection) continue;
      connection.dropped = true;
      closing.push(connection.close());
    }
  }
  // Reconnecting before the old sockets are closed would need twice the descriptors.
  let waited: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    Promise.all(closing).then(() => true),
    new Promise<false>((resolve) => (waited = setTimeout(() => resolve(false), closeLimitMs))),
  ]);
  clearTimeout(waited);
  if (!closed) groups[0]?.fail(`connections still open ${closeLimitMs / 1000} s after the drop`);
  await forEachSubscriber(connectMode, (group, subscriber) => {
    const after = resume ? group.lastCursor[subscriber] : undefined;
    group.current[subscriber] = subscribe(group, subscriber, after);
  });
}

/** Connections open now, and subscribers failed so far, by server URL. */
function byUrl(of: (group: Group) => number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const group of groups) {
    counts[group.result.url] = (counts[group.result.url] ?? 0) + of(group);
  }
  return counts;
}

const progress = setInterval(
  () =>
    void tellParent<SubscribersMessage>({
      type: 'progress',
      received,
      delivered,
      connections: byUrl((group) => group.open),
      failed: byUrl((group) => group.result.errors),
      retried: byUrl((group) => group.result.retried),
    }),
  200,
);

onParentCommand<SubscribersCommand>(async (command) => {
  if (command.type === 'start') return start(command);
  if (command.type === 'drop') return dropAndSubscribeAgain(command.resume);
  clearInterval(progress);
  const cpu = process.cpuUsage(started.cpu);
  const wallMs = clock() - started.wall;
  await tellParent<SubscribersMessage>({
    type: 'result',
    groups: groups.map((group) => group.result),
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
  });
  // Exiting drops every connection at once; the server is stopped right after.
  process.exit(0);
});
void tellParent<SubscribersMessage>({ type: 'ready' });
