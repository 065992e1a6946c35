// The reconnect scenario: subscribers receiving a steady change load all drop their connections
// at once, mid-stream, and subscribe again: to Shelfwire with `after` set to the cursor of the
// last change each received, so none should be lost or repeated; to the baseline plainly, which
// has no resume, for the time its clients take to come back.
import { commits, drainLimitMs, printRunEnd, stallMs, warmupCommits } from '../commitPlan.ts';
import { connectSubscribers, subscriberGroups } from '../connectSubscribers.ts';
import type { ServerLoad } from '../loadMeter.ts';
import { type GroupResult, type Transport, clock } from '../processes.ts';
import { sampleValue } from '../prometheus.ts';
import { type ReconnectStats, type Spread, reconnectStats } from '../reconnectStats.ts';
import {
  type CpuShare,
  type ReportRow,
  count,
  loadAverage,
  loadLine,
  markdown,
  noisyMark,
  openingLines,
  ratio,
  seconds as inSeconds,
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

const { subscribers, rate, seconds, warmupSeconds } = settings;
const plan = transportPlans[settings.transport];

/**
 * The drop comes as this commit completes: a third into the measured ones, which leaves two
 * thirds for every subscriber to come back and receive live changes again.
 */
const dropAfterCommit = warmupCommits + Math.floor((commits - warmupCommits) / 3);

/** Shelfwire's reads of its change log during the changes, by purpose, when /metrics says. */
interface ChangeLogReads {
  replay: number | undefined;
  live: number | undefined;
  /** Why they could not be read, when they could not. */
  problem?: string;
}

interface RunResult {
  groups: GroupResult[];
  writer: CommitTimes;
  subscribed: number;
  /** From the drop until the server had opened a subscription for every subscriber again. */
  allResubscribedMs: number;
  /** Subscriptions the server opened from the drop on. */
  resubscribed: number;
  reads: ChangeLogReads;
  load: ServerLoad;
  name: string;
  subscribers: CpuShare[];
  loadAtStart: number;
}

const readsMetric = 'shelfwire_change_log_reads_total';

/** The change-log reads counter by purpose; undefined where the server does not expose it. */
async function changeLogReads(server: RunningServer): Promise<ChangeLogReads> {
  try {
    const exposition = await server.metrics();
    if (exposition === undefined) return { replay: undefined, live: undefined };
    return {
      replay: sampleValue(exposition, readsMetric, { purpose: 'replay' }),
      live: sampleValue(exposition, readsMetric, { purpose: 'live' }),
    };
  } catch (error) {
    return {
      replay: undefined,
      live: undefined,
      problem: error instanceof Error ? error.message : String(error),
    };
  }
}

const since = (after: number | undefined, before: number | undefined) =>
  after === undefined || before === undefined ? undefined : after - before;

/**
 * One run: the server, a mass connect, the writer; as commit `dropAfterCommit` completes every
 * subscriber drops and subscribes again (resuming, for Shelfwire); then the drain.
 */
async function runAgainst(
  session: BenchSession,
  system: System,
  transports: readonly Transport[],
  bookIds: string[],
): Promise<RunResult> {
  const loadAtStart = loadAverage().load;
  const server = await RunningServer.start(session, system);
  const fleet = await SubscriberFleet.start(session);
  const [connect] = await connectSubscribers(
    session,
    [server],
    fleet,
    subscriberGroups([server], transports),
    commits,
  );
  const subscribed = connect!.subscribed;
  const readsBefore = await changeLogReads(server);

  let droppedAt = Number.NaN;
  let openedBeforeDrop = 0;
  let allResubscribedAt = Number.NaN;
  const dropWhenDue = (index: number) => {
    if (index !== dropAfterCommit) return;
    openedBeforeDrop = server.opened;
    // The server's count of open subscriptions may hold steady through a reconnect (closes and
    // new subscriptions interleave); the subscriptions it opened since the drop cannot.
    server.watchSubscribers((report) => {
      if (Number.isNaN(allResubscribedAt) && report.opened >= openedBeforeDrop + subscribed) {
        allResubscribedAt = report.at;
      }
    });
    droppedAt = clock();
    fleet.drop(system === 'shelfwire');
  };
  const writer = await commitAtRate(session.databaseUrl, bookIds, rate, dropWhenDue);

  // Drained: everything arrived, or nothing more has for `stallMs` (the baseline loses what was
  // committed while its clients were away), or the limit has passed.
  await fleet.drained(() => fleet.received, subscribed * commits, drainLimitMs, stallMs);
  const readsAfter = await changeLogReads(server);
  const resubscribed = server.opened - openedBeforeDrop;

  const finished = await fleet.finish();
  const load = await server.stop();
  return {
    groups: finished.groups,
    writer,
    subscribed,
    allResubscribedMs: allResubscribedAt - droppedAt,
    resubscribed,
    reads: {
      replay: since(readsAfter.replay, readsBefore.replay),
      live: since(readsAfter.live, readsBefore.live),
      ...((readsBefore.problem ?? readsAfter.problem)
        ? { problem: readsBefore.problem ?? readsAfter.problem }
        : {}),
    },
    load,
    name: server.name,
    subscribers: finished.cpu,
    loadAtStart,
  };
}

interface ReconnectRow {
  system: System;
  transport: string;
  stats: ReconnectStats;
}

const spreadCells = (spread: Spread, withP99: boolean) => [
  inSeconds(spread.p50),
  ...(withP99 ? [inSeconds(spread.p99)] : []),
  inSeconds(spread.max),
];

function reconnectTable(rows: ReconnectRow[]): string {
  const header = [
    'system',
    'transport',
    'subscribers',
    'lost',
    'dup',
    'subs losing',
    'subs with dup',
    'most lost/sub',
    'most dup/sub',
    'gap deliveries',
    'first change p50 s',
    'max s',
    'first live p50 s',
    'p99 s',
    'max s',
    'never live',
  ];
  const cells = rows.map(({ system, transport, stats }) => [
    system,
    transport,
    count(stats.subscribers),
    count(stats.lost),
    count(stats.duplicates),
    count(stats.subscribersLosing),
    count(stats.subscribersWithDuplicates),
    count(stats.mostLost),
    count(stats.mostDuplicated),
    count(stats.gapDeliveries),
    ...spreadCells(stats.firstChange, false),
    ...spreadCells(stats.firstLiveChange, true),
    count(stats.firstLiveChange.never),
  ]);
  return markdown(header, cells);
}

function readsLine(run: RunResult): string {
  const shown = (value: number | undefined) => (value === undefined ? 'n/a' : count(value));
  const why = run.reads.problem ? ` (${run.reads.problem})` : '';
  return (
    `${run.name} change-log reads from the first commit to the drain: replay ${shown(run.reads.replay)},` +
    ` live ${shown(run.reads.live)} (${readsMetric} on GET /metrics)${why}`
  );
}

/** Subscribers that came back too late for any live change: the writer had stopped. */
function neverLiveLine(system: System, stats: ReconnectStats, run: RunResult): string | undefined {
  if (stats.firstLiveChange.never === 0) return undefined;
  const writing = run.writer.committedAt[commits - 1]! - run.writer.committedAt[dropAfterCommit]!;
  return (
    `${system}: ${count(stats.firstLiveChange.never)} subscribers received no change committed after they` +
    ` had reconnected; the writer stopped ${inSeconds(writing)} s after the drop: give it more --seconds`
  );
}

function resubscribedLine(run: RunResult): string {
  const all = run.resubscribed >= run.subscribed;
  const retried = run.groups.reduce((sum, group) => sum + group.retriedAfterDrop, 0);
  return (
    `${run.name}: ${count(run.resubscribed)} of ${count(run.subscribed)} subscriptions opened again,` +
    ` ${all ? `all ${inSeconds(run.allResubscribedMs)} s after the drop` : 'not all'}` +
    `; ${count(retried)} reconnects failed and were tried again`
  );
}

/** The table rows of a system: all its subscribers, then each transport's when it has several. */
const slices = (system: System) => [
  { transport: 'all', keep: (_group: GroupResult) => true },
  ...(plan[system].length > 1
    ? plan[system].map((transport) => ({
        transport: transport as string,
        keep: (group: GroupResult) => group.transport === transport,
      }))
    : []),
];

async function run(session: BenchSession): Promise<void> {
  const database = await session.createDatabase(commits);
  const { load, noisy } = loadAverage();
  console.log(
    `Shelfwire benchmark, reconnect${noisy ? ' (NOISY)' : ''}: ${subscribers} subscribers (${transportsSaid}),` +
      ` ${rate} commits/s for ${seconds} s after ${warmupSeconds} s of warm-up, ${connectingSaid};` +
      ` as commit ${dropAfterCommit + 1} of ${commits} completes, every subscriber drops its connection at once` +
      ` and subscribes again, to Shelfwire with \`after\` set to the cursor of the last change it received;` +
      ` baseline: plain ${plan.baseline.join(' and ')} clients reconnecting the same way, without resume`,
  );
  const note = processesNote();
  if (note) console.log(note);
  for (const line of openingLines(database.version, reproducingCommand())) console.log(line);
  const shelfwire = await runAgainst(session, 'shelfwire', plan.shelfwire, database.bookIds);
  const baseline = await runAgainst(session, 'baseline', plan.baseline, database.bookIds);

  const runs = { shelfwire, baseline };
  const systems = ['shelfwire', 'baseline'] as const;
  const deliveryRows: ReportRow[] = systems.flatMap((system) =>
    slices(system).map(({ transport, keep }) => ({
      system,
      transport,
      stats: deliveryStats(
        runs[system].groups.filter(keep),
        runs[system].writer.committedAt,
        warmupCommits,
      ),
    })),
  );
  const reconnectRows: ReconnectRow[] = systems.flatMap((system) =>
    slices(system).map(({ transport, keep }) => ({
      system,
      transport,
      stats: reconnectStats(runs[system].groups.filter(keep), runs[system].writer.committedAt),
    })),
  );
  const mark = noisyMark(load);
  console.log(
    `\nDeliveries of the measured commits, the drop among them:\n\n${table(deliveryRows)}\n`,
  );
  console.log(
    `Across the drop, over all ${commits} commits (the baseline loses what is committed while its` +
      ` clients are away); gap deliveries: received after the drop, committed before the subscriber had` +
      ` reconnected (Shelfwire replays them from its log); first live: the first change committed after it had reconnected:\n\n${reconnectTable(reconnectRows)}\n`,
  );
  console.log(resubscribedLine(shelfwire));
  console.log(resubscribedLine(baseline));
  const allOf = (system: System) =>
    reconnectRows.find((row) => row.system === system && row.transport === 'all')!.stats;
  const [ours, theirs] = [allOf('shelfwire'), allOf('baseline')];
  console.log(
    `shelfwire / baseline: all resubscribed ${ratio(shelfwire.allResubscribedMs, baseline.allResubscribedMs)},` +
      ` first live change p50 ${ratio(ours.firstLiveChange.p50, theirs.firstLiveChange.p50)},` +
      ` max ${ratio(ours.firstLiveChange.max, theirs.firstLiveChange.max)}${mark}`,
  );
  for (const system of systems) {
    const line = neverLiveLine(system, allOf(system), runs[system]);
    if (line) console.log(line);
  }
  console.log(readsLine(shelfwire));
  console.log(
    `load average at each system's start: shelfwire ${shelfwire.loadAtStart.toFixed(2)}, baseline ${baseline.loadAtStart.toFixed(2)}`,
  );
  for (const run of [shelfwire, baseline])
    console.log(loadLine(run.name, run.load, run.subscribers));
  printRunEnd({ shelfwire: shelfwire.writer, baseline: baseline.writer }, deliveryRows);
}

/** Bounded whatever happens: two connects, the load, generous time to drain, then give up. */
const timeLimitMs = 2 * (300_000 + (warmupSeconds + seconds) * 1000 + drainLimitMs);

export const reconnectScenario: Scenario = { timeLimitMs, run };
