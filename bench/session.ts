// One run of the benchmark: its database and child processes, cleaned up however it ends.
import { randomBytes } from 'node:crypto';
import { type BenchDatabase, createBenchDatabase } from './database.ts';
import { BenchProcess } from './processes.ts';
import { Reports } from './reports.ts';
import { settings } from './settings.ts';

/** A scenario of the benchmark (`--scenario`). */
export interface Scenario {
  /** The run is stopped, and counted as failed, if it takes longer than this. */
  timeLimitMs: number;
  run(session: BenchSession): Promise<void>;
}

export class BenchSession {
  readonly reports = new Reports();
  /** Fresh for each run: Shelfwire's signing key (the bench signs tokens with it too). */
  readonly jwtSecret = randomBytes(32).toString('hex');
  /** Fresh for each run: what Shelfwire's /metrics asks for as `Authorization: Bearer`. */
  readonly metricsToken = randomBytes(16).toString('hex');
  private database: BenchDatabase | undefined;
  private readonly running = new Set<{ kill(): void }>();
  private cleaning: Promise<void> | undefined;

  /** Stops everything and drops the database on SIGINT, SIGTERM, or after `timeLimitMs`. */
  constructor(timeLimitMs: number) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping and dropping the benchmark database`);
        void this.cleanUp().finally(() => process.exit(130));
      });
    }
    setTimeout(() => {
      console.error('the benchmark ran out of time');
      void this.cleanUp().finally(() => process.exit(1));
    }, timeLimitMs).unref();
  }

  /** Creates the run's database, with one book per commit; dropped by `cleanUp`. */
  async createDatabase(commits: number): Promise<BenchDatabase> {
    this.database = await createBenchDatabase(settings.adminUrl, commits);
    return this.database;
  }

  get databaseUrl(): string {
    if (!this.database) throw new Error('the benchmark database is not created yet');
    return this.database.url;
  }

  /** Starts a child process on the run's database; `cleanUp` kills it if it is still running. */
  start<Command, Message extends { type: string }>(
    name: string,
    script: string,
    options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {},
  ): BenchProcess<Command, Message> {
    const child = new BenchProcess<Command, Message>(name, script, {
      env: { DATABASE_URL: this.databaseUrl, ...options.env },
      execArgv: options.execArgv ?? [],
    });
    this.running.add(child);
    void child.exited().then(() => this.running.delete(child));
    return child;
  }

  /** Kills what is still running and drops the database; safe to call more than once. */
  cleanUp(): Promise<void> {
    return (this.cleaning ??= (async () => {
      for (const child of this.running) child.kill();
      await this.database?.drop();
    })());
  }
}
