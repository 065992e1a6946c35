// Child process: many subscribers over real protocol clients, noting when each commit arrives.
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
  tellParent,
} from './processes.ts';

const subscription = 'subscription { bookChanged { cursor kind at book { id title copies } } }';

/** What a subscriber received, shaped as a GraphQL result. */
interface Delivery {
  data?: { bookChanged?: { book?: { title?: unknown } | null } | null } | null;
  errors?: readonly unknown[];
}

/** Opened this many at a time, so the server's accept queue never overflows. */
const connectBatch = 50;

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

/** An Error, a socket's close event (graphql-ws reports those), or GraphQL errors, as text. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'code' in error) {
    const { code, reason } = error as { code: unknown; reason?: unknown };
    return `socket closed with code ${String(code)} ${String(reason ?? '')}`.trim();
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
}

let received = 0;
const groups: Group[] = [];
const started = { cpu: process.cpuUsage(), wall: clock() };

function subscribe(group: Group, transport: Transport, url: string, subscriber: number): void {
  const sink = {
    next: (delivery: Delivery) => group.record(subscriber, delivery, clock()),
    error: (error: unknown) => group.fail(error),
    complete: () => {
      group.result.ended += 1;
    },
  };
  if (transport === 'graphql-ws') {
    const client = createWsClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    client.subscribe({ query: subscription }, sink);
  } else if (transport === 'graphql-sse') {
    // Distinct connections mode: one event-stream response per subscription, as Yoga serves it.
    const client = createSseClient({ url, singleConnection: false, retryAttempts: 0 });
    client.subscribe({ query: subscription }, sink);
  } else {
    const socket = new WebSocket(url);
    socket.on('message', (data: Buffer) => {
      const at = clock();
      group.record(subscriber, (JSON.parse(data.toString()) as { payload: Delivery }).payload, at);
    });
    socket.on('error', (error) => group.fail(error));
    socket.on('close', () => {
      group.result.ended += 1;
    });
  }
}

/**
 * Opens the groups' subscribers interleaved: the server fans a change out in subscription order,
 * so opening one transport's subscribers first would make it look faster than the other.
 */
async function start(url: string, plan: SubscriberGroup[], commits: number): Promise<void> {
  groups.push(...plan.map((spec) => new Group(spec, commits)));
  let opened = 0;
  const most = Math.max(...plan.map((spec) => spec.count));
  for (let subscriber = 0; subscriber < most; subscriber++) {
    for (const group of groups) {
      if (subscriber >= group.result.count) continue;
      subscribe(group, group.result.transport, url, subscriber);
      if (++opened % connectBatch === 0) await sleep(20);
    }
  }
}

const progress = setInterval(
  () => void tellParent<SubscribersMessage>({ type: 'progress', received }),
  200,
);

onParentCommand<SubscribersCommand>(async (command) => {
  if (command.type === 'start') {
    await start(command.url, command.groups, command.commits);
    return;
  }
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
