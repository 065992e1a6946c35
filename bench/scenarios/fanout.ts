// The fan-out scenario: one change load through Shelfwire and through the bare baseline, to
// subscribers that stay connected. The instances scenario is the same through two server
// processes of each system on one database, the subscribers split between them.
import { commits, drainLimitMs, printRunEnd, stallMs, warmupCommits } from '../commitPlan.ts';
import { connectSubscribers, subscriberGroups } from '../connectSubscribers.ts';
import type { ServerLoad } from '../loadMeter.ts';
import type { GroupResult, Transport } from '../processes.ts';
import {
  type ConnectRow,
  type CpuShare,
  type ReportRow,
  connectRatioLine,
  connectTable,
  loadAverage,
  loadLine,
  noisyMark,
  openingLines,
  ratioLine,
  table,
} from '../report.ts';
import { RunningServer, type System } from '../runningServer.ts';
import type { BenchSession, Scenario } from '../session.ts';
import {
  connectingSaid,
  processesNote,
  reproducingCommand,
  settings,
  transportPlans,
  transportsSaid,
} from '../settings.ts';
import { deliveryStats } from '../stats.ts';
import { SubscriberFleet } from '../subscriberFleet.ts';
import { type CommitTimes, commitAtRate } from '../writer.ts';

const { subscribers, rate, seconds, warmupSeconds, instances } = settings;
const plan = transportPlans[settings.transport];

/** Each server's name, how its subscribers connected, and what it spent under the load. */
interface ServerRun {
  name: string;
  url: string;
  connect: ConnectRow;
  load: ServerLoad;
}

interface RunResult {
  groups: GroupResult[];
  writer: CommitTimes;
  servers: ServerRun[];
  subscribers: CpuShare[];
  /** The one-minute load average when this system's run began. */
  loadAtStart: number;
}

/**
 * One run: the servers, a mass connect of the subscribers through `transports` from the
 * loopback addresses, the idle memory, the writer, then the drain.
 */
async function runAgainst(
  session: BenchSession,
  system: System,
  transports: readonly Transport[],
  bookIds: string[],
): Promise<RunResult> {
  const loadAtStart = loadAverage().load;
  const servers = await RunningServer.startAll(session, system);
  const fleet = await SubscriberFleet.start(session);
  const connect = await connectSubscribers(
    session,
    servers,
    fleet,
    subscriberGroups(servers, transports),
    commits,
  );
  const writer = await commitAtRate(session.databaseUrl, bookIds, rate);

  // Drained: everything arrived, or nothing more has for `stallMs`, or the limit has passed.
  const subscribed = connect.reduce((sum, row) => sum + row.subscribed, 0);
  await fleet.drained(() => fleet.received, subscribed * commits, drainLimitMs, stallMs);

  const finished = await fleet.finish();
  const loads = await Promise.all(servers.map((server) => server.stop()));
  return {
    groups: finished.groups,
    writer,
    servers: servers.map((server, n) => ({
      name: server.name,
      url: server.url,
      connect: connect[n]!,
      load: loads[n]!,
    })),
    subscribers: finished.cpu,
    loadAtStart,
  };
}

const stats = (run: RunResult, keep: (group: GroupResult) => boolean = () => true) =>
  deliveryStats(run.groups.filter(keep), run.writer.committedAt, warmupCommits);

/** Every server's connect rows as one: the subscribers of all, the memory of all. */
function allServers(rows: ConnectRow[]): ConnectRow {
  const add = (of: (row: ConnectRow) => number) => rows.reduce((sum, row) => sum + of(row), 0);
  return {
    ...rows[0]!,
    subscribers: add((row) => row.subscribers),
    subscribed: add((row) => row.subscribed),
    connections: add((row) => row.connections),
    failed: add((row) => row.failed),
    retried: add((row) => row.retried),
    // Every row counts the whole machine's drops.
    acceptQueueOverflows: rows[0]!.acceptQueueOverflows,
    lastSubscribedMs: Math.max(...rows.map((row) => row.lastSubscribedMs)),
    before: {
      rssBytes: add((row) => row.before.rssBytes),
      heapUsedBytes: add((row) => row.before.heapUsedBytes),
    },
    idle: {
      rssBytes: add((row) => row.idle.rssBytes),
      heapUsedBytes: add((row) => row.idle.heapUsedBytes),
    },
  };
}

async function run(session: BenchSession): Promise<void> {
  const database = await session.createDatabase(commits);
  const { load, noisy } = loadAverage();
  const across =
    instances > 1
      ? ` split over ${instances} server processes on one database, each hearing every commit by LISTEN`
      : '';
  console.log(
    `Shelfwire benchmark, ${settings.scenario}${noisy ? ' (NOISY)' : ''}: ${subscribers} subscribers (${transportsSaid})${across},` +
      ` ${rate} commits/s for ${seconds} s after ${warmupSeconds} s of warm-up, ${connectingSaid};` +
      ` baseline: the same with plain ${plan.baseline.join(' and ')} clients`,
  );
  const note = processesNote();
  if (note) console.log(note);
  for (const line of openingLines(database.version, reproducingCommand())) console.log(line);
  const shelfwire = await runAgainst(session, 'shelfwire', plan.shelfwire, database.bookIds);
  const baseline = await runAgainst(session, 'baseline', plan.baseline, database.bookIds);
  const rowsOf = (system: System, run: RunResult): ReportRow[] => [
    { system, transport: 'all', stats: stats(run) },
    ...(instances > 1
      ? run.servers.map((server, n) => ({
          system,
          transport: `instance ${n + 1}`,
          stats: stats(run, (group) => group.url === server.url),
        }))
      : []),
    ...(plan[system].length > 1
      ? plan[system].map((transport) => ({
          system,
          transport,
          stats: stats(run, (group) => group.transport === transport),
        }))
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
          ratioLine(
            stats(shelfwire, (group) => group.transport === transport),
            stats(baseline, (group) => group.transport === plan.baseline[t]),
          ).replace(/^shelfwire \/ baseline: /, ''),
      ),
    );
  }
  const connectRows = (run: RunResult) => run.servers.map((server) => server.connect);
  console.log(`\n${connectTable([...connectRows(shelfwire), ...connectRows(baseline)])}\n`);
  console.log(
    connectRatioLine(allServers(connectRows(shelfwire)), allServers(connectRows(baseline))) +
      (instances > 1 ? ' (all instances together)' : '') +
      mark,
  );
  console.log(
    `load average at each system's start: shelfwire ${shelfwire.loadAtStart.toFixed(2)}, baseline ${baseline.loadAtStart.toFixed(2)}`,
  );
  for (const run of [shelfwire, baseline]) {
    for (const server of run.servers)
      console.log(loadLine(server.name, server.load, run.subscribers));
  }
  printRunEnd({ shelfwire: shelfwire.writer, baseline: baseline.writer }, rows);
}

/** Bounded whatever happens: the load, generous time to connect and drain, then give up. */
const timeLimitMs = 2 * (180_000 + (warmupSeconds + seconds) * 1000 + drainLimitMs);

export const fanOutScenario: Scenario = { timeLimitMs, run };
