// The parent's side of a server under test: started, asked for its memory and subscribers, stopped.
import type { ServerLoad } from './loadMeter.ts';
import type { BenchProcess, MemorySample, ServerCommand, ServerMessage } from './processes.ts';
import type { BenchSession } from './session.ts';
import { settings } from './settings.ts';

export type System = 'shelfwire' | 'baseline';

/** What the server said in its latest `subscribers` report. */
export interface SubscribersReport {
  count: number;
  opened: number;
  at: number;
}

export class RunningServer {
  readonly system: System;
  /** `shelfwire`, or `shelfwire #2` when a system runs two instances. */
  readonly name: string;
  readonly url: string;
  /** Subscriptions open at the latest report, and since when the count last rose. */
  subscribed = 0;
  lastSubscribedAt = Number.NaN;
  /** Subscriptions opened since the start, at the latest report. */
  opened = 0;
  private readonly child: BenchProcess<ServerCommand, ServerMessage>;
  private readonly metricsToken: string;
  private readonly onReport = new Set<(report: SubscribersReport) => void>();

  private constructor(
    system: System,
    name: string,
    url: string,
    child: BenchProcess<ServerCommand, ServerMessage>,
    session: BenchSession,
  ) {
    this.system = system;
    this.name = name;
    this.url = url;
    this.child = child;
    this.metricsToken = session.metricsToken;
    child.on('subscribers', (report) => {
      if (report.count > this.subscribed) this.lastSubscribedAt = report.at;
      this.subscribed = report.count;
      this.opened = report.opened;
      for (const listener of this.onReport) listener(report);
      session.reports.changed();
    });
  }

  /**
   * Starts Shelfwire (with the session's JWT secret and metrics token) or the baseline, named
   * `name` in messages and CPU profiles.
   */
  static async start(
    session: BenchSession,
    system: System,
    name: string = system,
  ): Promise<RunningServer> {
    const profile = settings.profileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${settings.profileDir}`,
          `--cpu-prof-name=${name.replace(/\W+/g, '-')}-server.cpuprofile`,
        ]
      : [];
    const child = session.start<ServerCommand, ServerMessage>(
      `${name} server`,
      system === 'shelfwire' ? './shelfwireServer.ts' : './baseline.ts',
      {
        execArgv: ['--expose-gc', ...profile],
        env:
          system === 'shelfwire'
            ? { JWT_SECRET: session.jwtSecret, METRICS_TOKEN: session.metricsToken }
            : {},
      },
    );
    const { url } = await child.next('ready', 30_000);
    return new RunningServer(system, name, url, child, session);
  }

  /** Starts the system's `settings.instances` servers, named `system #n` when there are several. */
  static startAll(session: BenchSession, system: System): Promise<RunningServer[]> {
    const { instances } = settings;
    return Promise.all(
      Array.from({ length: instances }, (_, n) =>
        RunningServer.start(session, system, instances > 1 ? `${system} #${n + 1}` : system),
      ),
    );
  }

  /** The process's memory after a full garbage collection. */
  async memory(): Promise<MemorySample> {
    const reply = this.child.next('memory', 30_000);
    this.child.send({ type: 'memory' });
    const { rssBytes, heapUsedBytes } = await reply;
    return { rssBytes, heapUsedBytes };
  }

  /** Has the server report its subscriptions every 20 ms, until `measure` or `stop`. */
  watchSubscribers(listener?: (report: SubscribersReport) => void): void {
    this.onReport.clear();
    if (listener) this.onReport.add(listener);
    this.child.send({ type: 'watch-subscribers' });
  }

  /** Starts the server's load meter: the changes are about to come. */
  async measure(): Promise<void> {
    const measuring = this.child.next('measuring', 30_000);
    this.child.send({ type: 'measure' });
    await measuring;
  }

  /** Stops the server; what it spent since `measure`. */
  async stop(): Promise<ServerLoad> {
    const stopped = this.child.next('stopped', 60_000);
    this.child.send({ type: 'stop' });
    const { load } = await stopped;
    await this.child.exited();
    return load;
  }

  /** Shelfwire's GET /metrics, as Prometheus scrapes it; undefined for the baseline. */
  async metrics(): Promise<string | undefined> {
    if (this.system !== 'shelfwire') return undefined;
    const response = await fetch(new URL('/metrics', this.url), {
      headers: { authorization: `Bearer ${this.metricsToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${this.name}: GET /metrics answered ${response.status}`);
    return response.text();
  }
}
