// Child process: many subscribers over real protocol clients, noting when each commit arrives.
import { request as httpRequest } from 'node:http';
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
  type Transport,
  clock,
  onParentCommand,
  pacedBatch,
  pacedEveryMs,
  tellParent,
} from './processes.ts';

const subscription = 'subscription { bookChanged { cursor kind at book { id title copies } } }';

/** What a subscriber received, shaped as a GraphQL result. */
interface Delivery {
  data?: { bookChanged?: { book?: { title?: unknown } | null } | null } | null;
  errors?: readonly unknown[];
}

class Group {
  readonly result: GroupResult;
  private readonly commits: number;

  constructor(group: SubscriberGroup, commits: number) {
    this.commits = commits;
    this.result = {
      ...group,
      receivedAt: new Float64Array(group.count * commits).fill(Number.NaN),
      duplicates: 0,
      unexpected: 0,
      errors: 0,
      ended: 0,
    };
  }

  /** Notes a delivery to subscriber `subscriber`, received at `at`. */
  record(subscriber: number, delivery: Delivery, at: number): void {
    if (delivery.errors?.length) return this.fail(JSON.stringify(delivery.errors));
    const index = commitIndexOf(delivery.data?.bookChanged?.book?.title);
    if (index < 0 || index >= this.commits) {
      this.result.unexpected += 1;
      return;
    }
    const slot = subscriber * this.commits + index;
    if (Number.isNaN(this.result.receivedAt[slot])) {
      this.result.receivedAt[slot] = at;
      received += 1;
    } else {
      this.result.duplicates += 1;
    }
  }

  fail(error: unknown): void {
    this.result.errors += 1;
    this.result.firstError ??= describe(error);
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
/** Connections open now: WebSockets opened and event streams answered, less those closed. */
let connections = 0;
const groups: Group[] = [];
const started = { cpu: process.cpuUsage(), wall: clock() };

/**
 * The `fetch` graphql-sse needs, from `localAddress`: it reads the status and the body, as a
 * stream or (a single-connection reservation's token) as text.
 */
function fetchFrom(localAddress: string) {
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
          connections += 1;
          response.once('close', () => (connections -= 1));
          const status = response.statusCode ?? 0;
          // A Node stream is async iterable over Buffers, which graphql-sse reads as it would a
          // web stream.
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? '',
            body: response,
            text: async () => {
              const chunks: Buffer[] = [];
              for await (const chunk of response) chunks.push(chunk as Buffer);
              return Buffer.concat(chunks).toString();
            },
          });
        },
      );
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

function subscribe(
  group: Group,
  transport: Transport,
  url: string,
  subscriber: number,
  localAddress: string,
): void {
  const sink = {
    next: (delivery: Delivery) => group.record(subscriber, delivery, clock()),
    error: (error: unknown) => group.fail(error),
    complete: () => {
      group.result.ended += 1;
    },
  };
  if (transport === 'graphql-ws') {
    let open = false;
    const client = createWsClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: webSocketFrom(localAddress),
      retryAttempts: 0,
      on: {
        opened: () => {
          open = true;
          connections += 1;
        },
        closed: () => {
          if (open) connections -= 1;
          open = false;
        },
      },
    });
    client.subscribe({ query: subscription }, sink);
  } else if (transport === 'graphql-sse' || transport === 'sse') {
    // Distinct connections mode: one event-stream response per subscription, as Yoga serves it
    // (and the baseline its plain event stream).
    const client = createSseClient({
      url,
      singleConnection: false,
      retryAttempts: 0,
      fetchFn: fetchFrom(localAddress),
    });
    client.subscribe({ query: subscription }, sink);
  } else if (transport === 'graphql-sse-single') {
    // Single-connection mode: a reservation, one event stream and its operation, per subscriber.
    const client = createSseClient({
      url: `${url}/stream`,
      singleConnection: true,
      retryAttempts: 0,
      fetchFn: fetchFrom(localAddress),
    });
    client.subscribe({ query: subscription }, sink);
  } else {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), { localAddress });
    let open = false;
    socket.on('open', () => {
      open = true;
      connections += 1;
    });
    socket.on('message', (data: Buffer) => {
      const at = clock();
      group.record(subscriber, (JSON.parse(data.toString()) as { payload: Delivery }).payload, at);
    });
    socket.on('error', (error) => group.fail(error));
    socket.on('close', () => {
      if (open) connections -= 1;
      group.result.ended += 1;
    });
  }
}

/**
 * Opens the groups' subscribers, all at once (a mass connect, as after a deploy) or paced, interleaved: the
 * server fans a change out in subscription order, so opening one transport's subscribers first
 * would make it look faster than the other. Subscriber `n` connects from the address `n` places
 * after `firstAddress`, so each address holds a near-equal share of the connections.
 */
async function start(command: Extract<SubscribersCommand, { type: 'start' }>): Promise<void> {
  const { url, localAddresses, firstAddress } = command;
  groups.push(...command.groups.map((spec) => new Group(spec, command.commits)));
  let opened = 0;
  const most = Math.max(...command.groups.map((spec) => spec.count));
  for (let subscriber = 0; subscriber < most; subscriber++) {
    for (const group of groups) {
      if (subscriber >= group.result.count) continue;
      const localAddress = localAddresses[(firstAddress + opened++) % localAddresses.length]!;
      subscribe(group, group.result.transport, url, subscriber, localAddress);
      if (command.connect === 'paced' && opened % pacedBatch === 0) await sleep(pacedEveryMs);
    }
  }
}

const progress = setInterval(
  () =>
    void tellParent<SubscribersMessage>({
      type: 'progress',
      received,
      connections,
      failed: groups.reduce((sum, group) => sum + group.result.errors, 0),
    }),
  200,
);

onParentCommand<SubscribersCommand>(async (command) => {
  if (command.type === 'start') return start(command);
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
