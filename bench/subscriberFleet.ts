// The subscriber processes of a run, spoken to as one: connect, drop, drain, finish.
import type {
  BenchProcess,
  GroupResult,
  SubscriberGroup,
  SubscribersCommand,
  SubscribersMessage,
} from './processes.ts';
import type { CpuShare } from './report.ts';
import type { BenchSession } from './session.ts';
import { settings } from './settings.ts';

/** The `n`th of `parts` near-equal shares of `total`. */
export const share = (total: number, parts: number, n: number) =>
  Math.floor(total / parts) + (n < total % parts ? 1 : 0);

type Progress = Omit<Extract<SubscribersMessage, { type: 'progress' }>, 'type'>;

export interface FleetResult {
  groups: GroupResult[];
  /** What each subscriber process spent over its life. */
  cpu: CpuShare[];
}

export class SubscriberFleet {
  private readonly session: BenchSession;
  private readonly processes: BenchProcess<SubscribersCommand, SubscribersMessage>[];
  private readonly progress: Progress[];

  private constructor(
    session: BenchSession,
    processes: BenchProcess<SubscribersCommand, SubscribersMessage>[],
  ) {
    this.session = session;
    this.processes = processes;
    this.progress = processes.map(() => ({
      received: 0,
      delivered: 0,
      connections: {},
      failed: {},
      retried: {},
    }));
    processes.forEach((child, n) =>
      child.on('progress', (message) => {
        this.progress[n] = message;
        session.reports.changed();
      }),
    );
  }

  /** Starts `settings.clients` subscriber processes and waits until each is ready. */
  static async start(session: BenchSession): Promise<SubscriberFleet> {
    const processes = Array.from({ length: settings.clients }, (_, n) =>
      session.start<SubscribersCommand, SubscribersMessage>(
        `subscriber process ${n + 1}`,
        './subscribers.ts',
      ),
    );
    await Promise.all(processes.map((child) => child.next('ready', 30_000)));
    return new SubscriberFleet(session, processes);
  }

  /** Commits received so far, each once per subscriber. */
  get received(): number {
    return this.sum((progress) => progress.received);
  }

  /** Deliveries so far, repeats of a commit included. */
  get delivered(): number {
    return this.sum((progress) => progress.delivered);
  }

  /** Connections open now, to the server at `url` or to any. */
  connections(url?: string): number {
    return this.sum((progress) => countFor(progress.connections, url));
  }

  /** Subscribers failed so far, of the server at `url` or of any. */
  failed(url?: string): number {
    return this.sum((progress) => countFor(progress.failed, url));
  }

  /** Connects that failed and were tried again, to the server at `url` or to any. */
  retried(url?: string): number {
    return this.sum((progress) => countFor(progress.retried, url));
  }

  /**
   * Connects every group's subscribers, each group spread over the processes, the processes
   * taking the loopback addresses in turn. `commits` is how many changes each will be sent.
   */
  connect(groups: SubscriberGroup[], commits: number): void {
    let firstAddress = 0;
    this.processes.forEach((child, n) => {
      const mine = groups
        .map((group) => ({ ...group, count: share(group.count, this.processes.length, n) }))
        .filter((group) => group.count > 0);
      child.send({
        type: 'start',
        groups: mine,
        commits,
        localAddresses: settings.localAddresses,
        firstAddress,
        connect: settings.connect,
      });
      firstAddress += mine.reduce((total, group) => total + group.count, 0);
    });
  }

  /** Every subscriber drops its connection at once and subscribes again (see `drop`). */
  drop(resume: boolean): void {
    for (const child of this.processes) child.send({ type: 'drop', resume });
  }

  /**
   * Resolves once `count()` reaches `expected`, or it has not moved for `stallMs`, or
   * `limitMs` has passed: whatever has not come by then is counted as lost.
   */
  drained(count: () => number, expected: number, limitMs: number, stallMs: number) {
    return this.session.reports.until(() => count() >= expected, limitMs, {
      value: count,
      ms: stallMs,
    });
  }

  /** What every subscriber noted; the processes exit after saying. */
  async finish(): Promise<FleetResult> {
    const results = this.processes.map((child) => child.next('result', 60_000));
    for (const child of this.processes) child.send({ type: 'finish' });
    const finished = await Promise.all(results);
    await Promise.all(this.processes.map((child) => child.exited()));
    return {
      groups: finished.flatMap((result) => result.groups),
      cpu: finished.map(({ cpuMs, wallMs }) => ({ cpuMs, wallMs })),
    };
  }

  private sum(of: (progress: Progress) => number): number {
    return this.progress.reduce((total, progress) => total + of(progress), 0);
  }
}

const countFor = (byUrl: Record<string, number>, url: string | undefined) =>
  url === undefined ? Object.values(byUrl).reduce((a, b) => a + b, 0) : (byUrl[url] ?? 0);
