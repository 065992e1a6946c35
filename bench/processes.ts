// The benchmark's processes and the messages they exchange over Node's IPC channel.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerLoad } from './loadMeter.ts';

/**
 * Milliseconds since the epoch with sub-millisecond resolution. Every process on this machine
 * reads the same system clock, so a receive time minus a commit time is a latency.
 */
export const clock = (): number => performance.timeOrigin + performance.now();

/** What the processes under test (a Shelfwire server, the baseline server) are asked to do. */
export type ServerCommand =
  /** Report the process's memory after a full garbage collection. */
  | { type: 'memory' }
  /** Report the open subscriptions every `subscribersEveryMs` until `measure` (or `stop`). */
  | { type: 'watch-subscribers' }
  /** Start the load meter: the changes are about to come. */
  | { type: 'measure' }
  | { type: 'stop' };

export const subscribersEveryMs = 20;

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
}

export type ServerMessage =
  | { type: 'ready'; url: string }
  | ({ type: 'memory' } & MemorySample)
  /** Open subscriptions `count`, and `opened` since the start, at `at` (on `clock()`). */
  | { type: 'subscribers'; count: number; opened: number; at: number }
  | { type: 'measuring' }
  /** What the server spent from `measure` to `stop`. */
  | { type: 'stopped'; load: ServerLoad };

/**
 * graphql-ws and graphql-sse (distinct connections mode, or single-connection mode with one
 * stream per subscriber) speak to Shelfwire; `ws` is the baseline's plain WebSocket, `sse` and
 * `sse-single` its event streams, read by graphql-sse's client in the same two modes.
 */
export type Transport =
  'graphql-ws' | 'graphql-sse' | 'graphql-sse-single' | 'ws' | 'sse' | 'sse-single';

/**
 * What a group's subscribers subscribe to: `bookChanged`, a message per change, or
 * `bookChanges`, the same changes in batches of up to `maxBatch` or what came within `maxWaitMs`.
 * The baseline's plain clients take what their server sends, one message per change.
 */
export type Subscription =
  { field: 'bookChanged' } | { field: 'bookChanges'; maxBatch: number; maxWaitMs: number };

/** Subscribers of one transport, to one server (`url`: the bench runs one or two per system). */
export interface SubscriberGroup {
  transport: Transport;
  url: string;
  count: number;
  subscription: Subscription;
}

export type SubscribersCommand =
  | {
      type: 'start';
      groups: SubscriberGroup[];
      commits: number;
      /** Loopback addresses to connect from, taken in turn from `firstAddress` on. */
      localAddresses: string[];
      firstAddress: number;
      /** All at once (a mass connect), or paced: `pacedBatch` every `pacedEveryMs`. */
      connect: 'mass' | 'paced';
    }
  /**
   * Every subscriber drops its connection at once and subscribes again (connecting as `start`
   * said): with `after` set to the cursor of the last change it received when `resume`.
   */
  | { type: 'drop'; resume: boolean }
  | { type: 'finish' };

/** A paced connect opens this many subscribers per process at a time, so no accept queue overflows. */
export const pacedBatch = 50;
export const pacedEveryMs = 20;

/** The width of the time buckets in which the subscribers count what they read. */
export const trafficBucketMs = 10;

export interface GroupResult extends SubscriberGroup {
  /** Receive time of commit `i` at subscriber `s` at `s * commits + i`; NaN when it never came. */
  receivedAt: Float64Array;
  /**
   * What the group's subscribers read, by `trafficBucketMs` bucket from `trafficFrom` (on
   * `clock()`) on: results (a change, a batch, an error), and payload bytes (WebSocket message
   * data, event-stream body) as the client reads them, acknowledgements and pings included.
   */
  trafficFrom: number;
  messagesByBucket: number[];
  bytesByBucket: number[];
  duplicates: number;
  /** Deliveries that repeated a commit, by subscriber. */
  duplicatesBySubscriber: Uint32Array;
  /** When each subscriber's latest connection opened (WebSocket acknowledged, event stream answered). */
  connectedAt: Float64Array;
  /** When this process dropped every connection (`drop`); NaN when it never did. */
  droppedAt: number;
  /** Deliveries that named no commit of this run, errors, and subscriptions ended early. */
  unexpected: number;
  errors: number;
  ended: number;
  firstError?: string;
  /**
   * Connects tried again, before the drop and after it: a failed connect, and for graphql-sse
   * also a stream lost later (its client tries those again too).
   */
  retried: number;
  retriedAfterDrop: number;
}

export type SubscribersMessage =
  | { type: 'ready' }
  /**
   * Commits received so far (each once per subscriber), deliveries of them (repeats too);
   * by server URL, connections open now, subscribers failed so far and connects retried.
   */
  | {
      type: 'progress';
      received: number;
      delivered: number;
      connections: Record<string, number>;
      failed: Record<string, number>;
      retried: Record<string, number>;
    }
  | { type: 'result'; groups: GroupResult[]; cpuMs: number; wallMs: number };

/** A child process of the benchmark, spoken to with typed messages. */
export class BenchProcess<Command, Message extends { type: string }> {
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly handlers = new Set<(message: Message) => void>();
  private exitError: Error | null = null;
  private readonly onExit = new Set<(error: Error) => void>();

  constructor(
    name: string,
    script: string,
    options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {},
  ) {
    this.name = name;
    // `advanced` serialization carries typed arrays (the receive times) without copying to JSON.
    this.child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      serialization: 'advanced',
      // The server's own logs stay quiet unless LOG_LEVEL asks for them.
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...options.env },
      execArgv: [...process.execArgv, ...(options.execArgv ?? [])],
    });
    this.child.on('message', (message) => {
      for (const handler of this.handlers) handler(message as Message);
    });
    this.child.on('exit', (code, signal) => {
      this.exitError = new Error(`${name} exited (${signal ?? `code ${code}`})`);
      for (const reject of this.onExit) reject(this.exitError);
    });
  }

  send(command: Command): void {
    if (this.child.connected) this.child.send(command as object);
  }

  /** Calls `handler` for every message of this type until the process exits. */
  on<T extends Message['type']>(
    type: T,
    handler: (message: Extract<Message, { type: T }>) => void,
  ): void {
    this.handlers.add((message) => {
      if (message.type === type) handler(message as Extract<Message, { type: T }>);
    });
  }

  /** The next message of this type; rejects if the process exits or `timeoutMs` passes first. */
  next<T extends Message['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<Message, { type: T }>> {
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.handlers.delete(handler);
        this.onExit.delete(fail);
      };
      const handler = (message: Message) => {
        if (message.type !== type) return;
        done();
        resolve(message as Extract<Message, { type: T }>);
      };
      const fail = (error: Error) => {
        done();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new Error(`${this.name}: no "${type}" within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      this.handlers.add(handler);
      this.onExit.add(fail);
    });
  }

  /** Resolves once the process has exited. */
  exited(): Promise<void> {
    if (this.exitError) return Promise.resolve();
    return new Promise((resolve) => this.onExit.add(() => resolve()));
  }

  kill(): void {
    if (!this.exitError) this.child.kill('SIGKILL');
  }
}

/**
 * In a child: handles the parent's commands, and exits if the parent goes away. Messages that
 * arrive before this is called are lost, so a child says `ready` after it, never before.
 */
export function onParentCommand<Command>(handler: (command: Command) => void): void {
  process.on('message', (command) => handler(command as Command));
  process.on('disconnect', () => process.exit(1));
}

/** In a child: sends a message to the parent; resolves once it is on its way. */
export function tellParent<Message>(message: Message): Promise<void> {
  return new Promise((resolve) => {
    if (process.send) process.send(message as object, () => resolve());
    else resolve();
  });
}
