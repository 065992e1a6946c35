// `npm run bench`: the same change load through Shelfwire and through a bare LISTEN + ws/SSE
// broadcast, in one run, on a database made for it. See the README's "Benchmark" section.
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchDatabase, createBenchDatabase } from './database.ts';
import type { ServerLoad } from './loadMeter.ts';
import {
  BenchProcess,
  type GroupResult,
  type MemorySample,
  type ServerCommand,
  type ServerMessage,
  type SubscribersCommand,
  type SubscribersMessage,
  type Transport,
  clock,
  pacedBatch,
} from './processes.ts';
import {
  type ConnectRow,
  type CpuShare,
  type ReportRow,
  codeLine,
  connectRatioLine,
  connectTable,
  loadAverage,
  loadLine,
  machineLine,
  noisyMark,
  openFilesLimit,
  problems,
  ratioLine,
  table,
} from './report.ts';
import { reproducingCommand, settings, transportPlans } from './settings.ts';
import { deliveryStats } from './stats.ts';
import { type CommitTimes, commitAtRate } from './writer.ts';

const { subscribers, rate, seconds, warmupSeconds, profileDir, adminUrl, localAddresses } =
  settings;
const clientProcesses = settings.clients;
const plan = transportPlans[settings.transport];

const warmupCommits = Math.round(rate * warmupSeconds);
const commits = warmupCommits + Math.round(rate * seconds);
/** After the last commit, wait for deliveries while they keep coming, but not past this. */
const drainLimitMs = (warmupSeconds + seconds) * 1000 + 60_000;
/** Deliveries still missing when none has come for this long are counted as lost. */
const stallMs = 5000;

/** How long the mass connect may take before the run goes on with whoever connected. */
const connectLimitMs = 120_000;

// Node cannot raise its own descriptor limit; the children inherit this one. The subscribers are
// spread over enough processes (settings.clients) that none needs more than it.
if (openFilesLimit() < settings.serverFilesNeeded) {
  throw new Error(
    `open files limit ${openFilesLimit()} < ${settings.serverFilesNeeded}: raise it (ulimit -n) and run again`,
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
  connect: ConnectRow;
  /** The one-minute load average when this system's run began. */
  loadAtStart: number;
}

/**
 * One run: a server, a mass connect of the subscribers through `transports` from the loopback
 * addresses, the idle memory, the writer, then the drain.
 */
async function runAgainst(
  system: 'shelfwire' | 'baseline',
  transports: readonly Transport[],
): Promise<RunResult> {
  const loadAtStart = loadAverage().load;
  const profile = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${system}-server.cpuprofile`]
    : [];
  const script = system === 'shelfwire' ? './shelfwireServer.ts' : './baseline.ts';
  const server = start<ServerCommand, ServerMessage>(`${system} server`, script, [
    '--expose-gc',
    ...profile,
  ]);
  const { url } = await server.next('ready', 30_000);
  const memory = async (): Promise<MemorySample> => {
    const reply = server.next('memory', 30_000);
    server.send({ type: 'memory' });
    const { rssBytes, heapUsedBytes } = await reply;
    return { rssBytes, heapUsedBytes };
  };

  const perTransport = transports.map((_, t) => share(subscribers, transports.length, t));
  const clients = Array.from({ length: clientProcesses }, (_, n) =>
    start<SubscribersCommand, SubscribersMessage>(
      `subscriber process ${n + 1}`,
      './subscribers.ts',
    ),
  );
  await Promise.all(clients.map((client) => client.next('ready', 30_000)));
  const progress = clients.map(() => ({ received: 0, connections: 0, failed: 0 }));
  clients.forEach((client, n) => client.on('progress', (message) => (progress[n] = message)));
  const sum = (key: 'received' | 'connections' | 'failed') =>
    progress.reduce((total, client) => total + client[key], 0);

  const before = await memory();
  let subscribed = 0;
  let lastSubscribedAt = Number.NaN;
  server.on('subscribers', ({ count, at }) => {
    if (count > subscribed) lastSubscribedAt = at;
    subscribed = count;
  });
  server.send({ type: 'watch-subscribers' });
  const connectStart = clock();
  let firstAddress = 0;
  clients.forEach((client, n) => {
    const groups = transports.map((transport, t) => ({
      transport,
      count: share(perTransport[t]!, clientProcesses, n),
    }));
    client.send({
      type: 'start',
      url,
      groups: groups.filter((group) => group.count > 0),
      commits,
      localAddresses,
      firstAddress,
      connect: settings.connect,
    });
    firstAddress += groups.reduce((total, group) => total + group.count, 0);
  });
  // Subscribed: all of them, or all that did not fail, or the limit has passed.
  while (
    subscribed < subscribers &&
    subscribed + sum('failed') < subscribers &&
    clock() - connectStart < connectLimitMs
  ) {
    await sleep(20);
  }
  // Idle for a moment, so the connect's garbage and buffers settle before memory is read.
  await sleep(1000);
  const idle = await memory();
  const measuring = server.next('measuring', 30_000);
  server.send({ type: 'measure' });
  await measuring;
  const connect: ConnectRow = {
    system,
    transports: transports.join('+'),
    subscribers,
    subscribed,
    connections: sum('connections'),
    addresses: localAddresses.length,
    failed: sum('failed'),
    lastSubscribedMs: lastSubscribedAt - connectStart,
    before,
    idle,
  };
  const writer = await commitAtRate(database!.url, database!.bookIds, rate);

  // Drained: everything arrived, or nothing more has for `stallMs`, or the limit has passed.
  const expected = subscribed * commits;
  const drainUntil = Date.now() + drainLimitMs;
  for (let last = -1, since = Date.now(); sum('received') < expected; await sleep(100)) {
    if (sum('received') !== last) [last, since] = [sum('received'), Date.now()];
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
    connect,
    loadAtStart,
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
  const { load, noisy } = loadAverage();
  const transportsSaid = {
    ws: 'graphql-ws',
    sse: 'graphql-sse in distinct connections mode',
    'sse-single': 'graphql-sse in single-connection mode, a stream each',
    mixed: 'graphql-ws and graphql-sse in distinct connections mode, half each',
  }[settings.transport];
  console.log(
    `Shelfwire benchmark${noisy ? ' (NOISY)' : ''}: ${subscribers} subscribers (${transportsSaid}),` +
      ` ${rate} commits/s for ${seconds} s after ${warmupSeconds} s of warm-up,` +
      ` ${clientProcesses} subscriber processes connecting ${settings.connect === 'mass' ? 'all at once' : `${pacedBatch} at a time each`}` +
      ` from ${localAddresses.length}` +
      ` loopback addresses (${localAddresses[0]}-${localAddresses.at(-1)});` +
      ` baseline: the same with plain ${plan.baseline.join(' and ')} clients`,
  );
  if (clientProcesses > settings.requestedClients) {
    console.log(
      `(${clientProcesses} subscriber processes, not ${settings.requestedClients}, so that none holds more connections than its open files limit)`,
    );
  }
  console.log(machineLine(database.version));
  console.log(`${codeLine()}; reproduce with: ${reproducingCommand()}`);
  const shelfwire = await runAgainst('shelfwire', plan.shelfwire);
  const baseline = await runAgainst('baseline', plan.baseline);
  const rowsOf = (system: 'shelfwire' | 'baseline', run: RunResult): ReportRow[] => [
    { system, transport: 'all', stats: stats(run) },
    ...(run.connect.transports.includes('+')
      ? plan[system].map((transport) => ({ system, transport, stats: stats(run, transport) }))
      : []),
  ];
  const rows = [...rowsOf('shelfwire', shelfwire), ...rowsOf('baseline', baseline)];
  const ofSystem = (system: string) => rows.filter((row) => row.system === system);
  const mark = noisyMark(load);
  console.log(`\n${table(rows)}\n`);
  console.log(ratioLine(ofSystem('shelfwire')[0]!.stats, ofSystem('baseline')[0]!.stats) + mark);
  if (settings.transport === 'mixed') {
    plan.shelfwire.forEach((transport, t) =>
      console.log(
        `  ${transport} / ${plan.baseline[t]}: ` +
          ratioLine(stats(shelfwire, transport), stats(baseline, plan.baseline[t])).replace(
            /^shelfwire \/ baseline: /,
            '',
          ),
      ),
    );
  }
  console.log(`\n${connectTable([shelfwire.connect, baseline.connect])}\n`);
  console.log(connectRatioLine(shelfwire.connect, baseline.connect) + mark);
  console.log(
    `load average at each system's start: shelfwire ${shelfwire.loadAtStart.toFixed(2)}, baseline ${baseline.loadAtStart.toFixed(2)}`,
  );
  console.log(loadLine('shelfwire', shelfwire.server, shelfwire.subscribers));
  console.log(loadLine('baseline', baseline.server, baseline.subscribers));
  console.log(writerLine('shelfwire', shelfwire.writer));
  console.log(writerLine('baseline', baseline.writer));
  for (const problem of problems(rows)) console.log(problem);
  if (profileDir) console.log(`server CPU profiles written to ${profileDir}`);
  console.log(`reproduce with: ${reproducingCommand()}`);
} catch (error) {
  console.error('benchmark failed:', error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
