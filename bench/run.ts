// `npm run bench`: the same change load through Shelfwire and through a bare LISTEN + `ws`
// broadcast, in one run, on a database made for it. See the README's "Benchmark" section.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type BenchDatabase, createBenchDatabase } from './database.ts';
import type { ServerLoad } from './loadMeter.ts';
import {
  BenchProcess,
  type GroupResult,
  type ServerCommand,
  type ServerMessage,
  type SubscriberGroup,
  type SubscribersCommand,
  type SubscribersMessage,
} from './processes.ts';
import {
  type CpuShare,
  type ReportRow,
  loadLine,
  machineLine,
  openFilesLimit,
  problems,
  ratioLine,
  table,
} from './report.ts';
import { deliveryStats } from './stats.ts';
import { type CommitTimes, commitAtRate } from './writer.ts';

const { values: flags } = parseArgs({
  options: {
    subscribers: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    clients: { type: 'string' },
    profile: { type: 'string' },
  },
});
/** A flag, else BENCH_<NAME> from the environment, else the default. */
function setting(name: keyof typeof flags, fallback: number): number {
  const value = Number(flags[name] ?? process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}
const subscribers = Math.round(setting('subscribers', 1000));
const rate = setting('rate', 50);
const seconds = setting('seconds', 20);
const warmupSeconds = setting('warmup', 2);
const clientProcesses = Math.round(setting('clients', 2));
/** Where to write the two servers' CPU profiles (`node --cpu-prof`), when given. */
const profileDir = flags.profile ?? process.env.BENCH_PROFILE;
const adminUrl =
  process.env.BENCH_DATABASE_URL ||
  process.env.DATABASE_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

const warmupCommits = Math.round(rate * warmupSeconds);
const commits = warmupCommits + Math.round(rate * seconds);
/** After the last commit, wait for deliveries while they keep coming, but not past this. */
const drainLimitMs = (warmupSeconds + seconds) * 1000 + 60_000;
/** Deliveries still missing when none has come for this long are counted as lost. */
const stallMs = 5000;

// Node cannot raise its own descriptor limit; the children inherit this one.
const filesNeeded = subscribers + 1024;
if (openFilesLimit() < filesNeeded) {
  throw new Error(
    `open files limit ${openFilesLimit()} < ${filesNeeded}: raise it (ulimit -n) and run again`,
  );
}

const running = new Set<{ kill(): void }>();
let database: BenchDatabase | undefined;
let cleaning: Promise<void> | undefined;
/** Kills what is still running and drops the database; safe to call more than once. */
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const child of running) child.kill();
    await database?.drop();
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping and dropping the benchmark database`);
    void cleanUp().finally(() => process.exit(130));
  });
}
// Bounded whatever happens: the load, generous time to connect and drain, then give up.
const deadline = setTimeout(
  () => {
    console.error('the benchmark ran out of time');
    void cleanUp().finally(() => process.exit(1));
  },
  2 * (180_000 + (warmupSeconds + seconds) * 1000 + drainLimitMs),
);
deadline.unref();

function start<Command, Message extends { type: string }>(
  name: string,
  script: string,
  execArgv: string[] = [],
) {
  const child = new BenchProcess<Command, Message>(name, script, {
    env: { DATABASE_URL: database!.url },
    execArgv,
  });
  running.add(child);
  void child.exited().then(() => running.delete(child));
  return child;
}

/** The `n`th of `parts` near-equal shares of `total`. */
const share = (total: number, parts: number, n: number) =>
  Math.floor(total / parts) + (n < total % parts ? 1 : 0);

interface RunResult {
  groups: GroupResult[];
  writer: CommitTimes;
  server: ServerLoad;
  subscribers: CpuShare[];
}

/** One run: a server, subscribers connected through `transports`, the writer, then the drain. */
async function runAgainst(
  system: 'shelfwire' | 'baseline',
  transports: SubscriberGroup['transport'][],
): Promise<RunResult> {
  const profile = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${system}-server.cpuprofile`]
    : [];
  const script = system === 'shelfwire' ? './shelfwireServer.ts' : './baseline.ts';
  const server = start<ServerCommand, ServerMessage>(`${system} server`, script, profile);
  const { url } = await server.next('ready', 30_000);

  const perTransport = transports.map((_, t) => share(subscribers, transports.length, t));
  const clients = Array.from({ length: clientProcesses }, (_, n) =>
    start<SubscribersCommand, SubscribersMessage>(
      `subscriber process ${n + 1}`,
      './subscribers.ts',
    ),
  );
  await Promise.all(clients.map((client) => client.next('ready', 30_000)));
  clients.forEach((client, n) => {
    const groups = transports.map((transport, t) => ({
      transport,
      count: share(perTransport[t]!, clientProcesses, n),
    }));
    client.send({ type: 'start', url, groups: groups.filter((group) => group.count > 0), commits });
  });
  const received = clients.map(() => 0);
  clients.forEach((client, n) =>
    client.on('progress', (message) => (received[n] = message.received)),
  );

  server.send({ type: 'await-subscribers', count: subscribers });
  await server.next('subscribed', 120_000);
  await sleep(500);
  const writer = await commitAtRate(database!.url, database!.bookIds, rate);

  // Drained: everything arrived, or nothing more has for `stallMs`, or the limit has passed.
  const total = () => received.reduce((sum, n) => sum + n, 0);
  const drainUntil = Date.now() + drainLimitMs;
  for (let last = -1, since = Date.now(); total() < subscribers * commits; await sleep(100)) {
    if (total() !== last) [last, since] = [total(), Date.now()];
    if (Date.now() - since > stallMs || Date.now() > drainUntil) break;
  }

  const results = clients.map((client) => client.next('result', 60_000));
  for (const client of clients) client.send({ type: 'finish' });
  const finished = await Promise.all(results);
  const stopped = server.next('stopped', 60_000);
  server.send({ type: 'stop' });
  const { load } = await stopped;
  await Promise.all([server, ...clients].map((child) => child.exited()));
  return {
    groups: finished.flatMap((result) => result.groups),
    writer,
    server: load,
    subscribers: finished.map(({ cpuMs, wallMs }) => ({ cpuMs, wallMs })),
  };
}

const stats = (run: RunResult, transport?: string) =>
  deliveryStats(
    run.groups.filter((group) => !transport || group.transport === transport),
    run.writer.committedAt,
    warmupCommits,
  );

function writerLine(system: string, { committedAt, late }: CommitTimes): string {
  const span = (committedAt[commits - 1]! - committedAt[warmupCommits]!) / 1000;
  const achieved = (commits - warmupCommits - 1) / span;
  return `${system} writer: ${commits - warmupCommits} measured commits at ${achieved.toFixed(1)}/s (${late} started late)`;
}

try {
  database = await createBenchDatabase(adminUrl, commits);
  console.log(
    `Shelfwire benchmark: ${subscribers} subscribers (graphql-ws and graphql-sse in distinct connections mode,` +
      ` half each), ${rate} commits/s for ${seconds} s after ${warmupSeconds} s of warm-up,` +
      ` ${clientProcesses} subscriber processes; baseline: the same with plain ws clients`,
  );
  console.log(machineLine(database.version));
  const shelfwire = await runAgainst('shelfwire', ['graphql-ws', 'graphql-sse']);
  const baseline = await runAgainst('baseline', ['ws']);
  const rows: ReportRow[] = [
    { system: 'shelfwire', transport: 'all', stats: stats(shelfwire) },
    { system: 'shelfwire', transport: 'graphql-ws', stats: stats(shelfwire, 'graphql-ws') },
    { system: 'shelfwire', transport: 'graphql-sse', stats: stats(shelfwire, 'graphql-sse') },
    { system: 'baseline', transport: 'ws', stats: stats(baseline) },
  ];
  console.log(`\n${table(rows)}\n`);
  console.log(ratioLine(rows[0]!.stats, rows[3]!.stats));
  console.log(loadLine('shelfwire', shelfwire.server, shelfwire.subscribers));
  console.log(loadLine('baseline', baseline.server, baseline.subscribers));
  console.log(writerLine('shelfwire', shelfwire.writer));
  console.log(writerLine('baseline', baseline.writer));
  for (const problem of problems(rows)) console.log(problem);
  if (profileDir) console.log(`server CPU profiles written to ${profileDir}`);
} catch (error) {
  console.error('benchmark failed:', error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
