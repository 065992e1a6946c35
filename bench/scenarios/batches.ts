// The batches scenario: one busy change stream (--rate, 1,000 commits/s by default) followed by
// --subscribers subscribers, first with bookChanged (a message per change), then, on a fresh
// server with fresh subscribers, with bookChanges (up to 100 changes a message, or what came
// within 1 s): what the subscribers read per second (messages, payload bytes, changes), how late
// each change arrives (a batched one with its batch), and what the server spends.
import { commits, drainLimitMs, stallMs, warmupCommits, writerLine } from '../commitPlan.ts';
import { connectSubscribers, subscriberGroups } from '../connectSubscribers.ts';
import type { ServerLoad } from '../loadMeter.ts';
import { type GroupResult, type Subscription, trafficBucketMs } from '../processes.ts';
import {
  type CpuShare,
  count,
  loadAverage,
  loadLine,
  markdown,
  ms,
  noisyMark,
  openingLines,
  ratio,
} from '../report.ts';
import { RunningServer } from '../runningServer.ts';
import type { BenchSession, Scenario } from '../session.ts';
import {
  connectingSaid,
  processesNote,
  reproducingCommand,
  settings,
  transportPlans,
  transportsSaid,
} from '../settings.ts';
import { type DeliveryStats, deliveryStats } from '../stats.ts';
import { SubscriberFleet } from '../subscriberFleet.ts';
import { type CommitTimes, commitAtRate } from '../writer.ts';

const { subscribers, rate, seconds, warmupSeconds } = settings;
const plan = transportPlans[settings.transport];

const everyChange: Subscription = { field: 'bookChanged' };
const inBatches: Subscription = { field: 'bookChanges', maxBatch: 100, maxWaitMs: 1000 };

const nameOf = (subscription: Subscription) =>
  subscription.field === 'bookChanged'
    ? subscription.field
    : `${subscription.field}(maxBatch: ${subscription.maxBatch}, maxWaitMs: ${subscription.maxWaitMs})`;

/** One way of following the stream: what its subscribers noted, and what the server spent. */
interface FollowRun {
  subscription: Subscription;
  groups: GroupResult[];
  writer: CommitTimes;
  subscribed: number;
  load: ServerLoad;
  subscriberCpu: CpuShare[];
  /** The one-minute load average when this run began. */
  loadAtStart: number;
}

/** A server, its subscribers of `subscription` connected at once, the writer, then the drain. */
async function follow(
  session: BenchSession,
  subscription: Subscription,
  bookIds: string[],
): Promise<FollowRun> {
  const loadAtStart = loadAverage().load;
  const server = await RunningServer.start(session, 'shelfwire', `shelfwire ${subscription.field}`);
  const fleet = await SubscriberFleet.start(session);
  const [connect] = await connectSubscribers(
    session,
    [server],
    fleet,
    subscriberGroups([server], plan.shelfwire, subscription),
    commits,
  );
  const subscribed = connect!.subscribed;
  const writer = await commitAtRate(session.databaseUrl, bookIds, rate);
  // Drained: every change at every subscriber, or nothing more for `stallMs`, or the limit.
  await fleet.drained(() => fleet.received, subscribed * commits, drainLimitMs, stallMs);
  const finished = await fleet.finish();
  const load = await server.stop();
  return {
    subscription,
    groups: finished.groups,
    writer,
    subscribed,
    load,
    subscriberCpu: finished.cpu,
    loadAtStart,
  };
}

/** What the subscribers read per second, all of them together, within one window of time. */
interface Traffic {
  messagesPerSecond: number;
  bytesPerSecond: number;
  changesPerSecond: number;
}

/**
 * The traffic from `from` to `to` (on `clock()`): results and payload bytes by the buckets that
 * start in it (to within `trafficBucketMs`), changes by their first arrival at each subscriber.
 */
function traffic(groups: GroupResult[], from: number, to: number): Traffic {
  let messages = 0;
  let bytes = 0;
  let changes = 0;
  for (const group of groups) {
    const first = Math.ceil((from - group.trafficFrom) / trafficBucketMs);
    const end = Math.ceil((to - group.trafficFrom) / trafficBucketMs);
    for (let bucket = Math.max(0, first); bucket < end; bucket++) {
      messages += group.messagesByBucket[bucket] ?? 0;
      bytes += group.bytesByBucket[bucket] ?? 0;
    }
    for (const at of group.receivedAt) if (at >= from && at < to) changes += 1;
  }
  const span = (to - from) / 1000;
  return {
    messagesPerSecond: messages / span,
    bytesPerSecond: bytes / span,
    changesPerSecond: changes / span,
  };
}

/** A row of the report: one way of following, over one transport or all of them. */
interface FollowRow {
  run: FollowRun;
  transport: string;
  traffic: Traffic;
  /** Latencies and counts over the measured commits. */
  stats: DeliveryStats;
}

/** Rows of a run: all its subscribers, then each transport's when there are several. */
function rowsOf(run: FollowRun): FollowRow[] {
  // The steady part of the run: while the measured commits were being made.
  const from = run.writer.committedAt[warmupCommits]!;
  const to = run.writer.committedAt[commits - 1]!;
  const slices = [
    { transport: 'all', groups: run.groups },
    ...(plan.shelfwire.length > 1
      ? plan.shelfwire.map((transport) => ({
          transport: transport as string,
          groups: run.groups.filter((group) => group.transport === transport),
        }))
      : []),
  ];
  return slices.map(({ transport, groups }) => ({
    run,
    transport,
    traffic: traffic(groups, from, to),
    stats: deliveryStats(groups, run.writer.committedAt, warmupCommits),
  }));
}

const cpuShare = (load: ServerLoad) => load.cpuMs / load.wallMs;
const quotient = (a: number, b: number, digits: number) => (b > 0 ? (a / b).toFixed(digits) : '–');

function followTable(rows: FollowRow[]): string {
  const header = [
    'subscription',
    'transport',
    'subscribers',
    'messages/s',
    'bytes/s',
    'changes/s',
    'changes/message',
    'bytes/change',
    'p50 ms',
    'p99 ms',
    'max ms',
    'server CPU',
  ];
  const cells = rows.map(({ run, transport, traffic, stats }) => [
    nameOf(run.subscription),
    transport,
    count(stats.subscribers),
    count(Math.round(traffic.messagesPerSecond)),
    count(Math.round(traffic.bytesPerSecond)),
    count(Math.round(traffic.changesPerSecond)),
    quotient(traffic.changesPerSecond, traffic.messagesPerSecond, 1),
    quotient(traffic.bytesPerSecond, traffic.changesPerSecond, 0),
    ms(stats.p50),
    ms(stats.p99),
    ms(stats.max),
    // The server serves every transport at once: its CPU is the whole run's.
    transport === 'all' ? `${Math.round(100 * cpuShare(run.load))}%` : '',
  ]);
  return markdown(header, cells);
}

/** Batched over one change a message: the rates, the latencies and the server's CPU. */
function ratioLine(batched: FollowRow, single: FollowRow): string {
  const [b, s] = [batched.traffic, single.traffic];
  return [
    `bookChanges / bookChanged: messages/s ${ratio(b.messagesPerSecond, s.messagesPerSecond)}`,
    `bytes/s ${ratio(b.bytesPerSecond, s.bytesPerSecond)}`,
    `changes/s ${ratio(b.changesPerSecond, s.changesPerSecond)}`,
    `p50 ${ratio(batched.stats.p50, single.stats.p50)}`,
    `p99 ${ratio(batched.stats.p99, single.stats.p99)}`,
    `server CPU ${ratio(cpuShare(batched.run.load), cpuShare(single.run.load))}`,
  ].join(', ');
}

/** Whether every commit, the warm-up's included, reached every subscriber exactly once. */
function checkLine(run: FollowRun): string {
  const all = deliveryStats(run.groups, run.writer.committedAt, 0);
  const endedEarly = run.groups.reduce((sum, group) => sum + group.ended, 0);
  const once = all.received === all.expected && all.duplicates === 0 && all.faults === 0;
  return (
    `${run.subscription.field}: ${count(all.received)} of ${count(all.expected)} changes arrived` +
    ` (${count(all.subscribers)} subscribers × ${count(commits)} commits, warm-up included, each` +
    ` counted by its book at each subscriber; ${count(run.subscribed)} subscribed),` +
    ` ${count(all.duplicates)} duplicated, ${count(all.faults)} faults` +
    ` (${count(endedEarly)} subscriptions ended early): ${once ? 'all, once each' : 'NOT all delivered once'}`
  );
}

async function run(session: BenchSession): Promise<void> {
  const database = await session.createDatabase(commits);
  const { load, noisy } = loadAverage();
  console.log(
    `Shelfwire benchmark, batches${noisy ? ' (NOISY)' : ''}: ${subscribers} subscribers (${transportsSaid})` +
      ` following ${rate} commits/s (one UPDATE books each) for ${seconds} s after ${warmupSeconds} s of warm-up,` +
      ` ${connectingSaid}; first with ${nameOf(everyChange)} (a message per change), then, with a fresh` +
      ` server and subscribers, with ${nameOf(inBatches)}`,
  );
  const note = processesNote();
  if (note) console.log(note);
  for (const line of openingLines(database.version, reproducingCommand())) console.log(line);
  const single = await follow(session, everyChange, database.bookIds);
  const batched = await follow(session, inBatches, database.bookIds);

  const rows = [...rowsOf(single), ...rowsOf(batched)];
  const allOf = (run: FollowRun) => rows.find((row) => row.run === run && row.transport === 'all')!;
  const mark = noisyMark(load);
  console.log(`\n${followTable(rows)}\n`);
  console.log(
    'Rates over the measured commits (from the first to the last); messages: results received;' +
      ' bytes: payload as the client reads it (WebSocket message data, event-stream body), all' +
      ' messages included; latency: from each measured commit to its change arriving (a batched' +
      " change's: its batch's).",
  );
  console.log(ratioLine(allOf(batched), allOf(single)) + mark);
  for (const followed of [single, batched]) console.log(checkLine(followed));
  console.log(
    `load average at each run's start: bookChanged ${single.loadAtStart.toFixed(2)}, bookChanges ${batched.loadAtStart.toFixed(2)}`,
  );
  for (const followed of [single, batched]) {
    const name = followed.subscription.field;
    console.log(loadLine(name, followed.load, followed.subscriberCpu));
    console.log(writerLine(name, followed.writer));
    const firstError = followed.groups.find((group) => group.firstError)?.firstError;
    if (firstError) console.log(`${name}: first error: ${firstError}`);
  }
  if (settings.profileDir) console.log(`server CPU profiles written to ${settings.profileDir}`);
  console.log(`reproduce with: ${reproducingCommand()}`);
}

/** Bounded whatever happens: two connects, the loads, generous time to drain, then give up. */
const timeLimitMs = 2 * (240_000 + 2 * ((warmupSeconds + seconds) * 1000 + drainLimitMs));

export const batchesScenario: Scenario = { timeLimitMs, run };
