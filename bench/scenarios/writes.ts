// The writes scenario: how many updateBook and createBooking mutations Shelfwire commits per
// second, and how fast each answers, with no subscriber and with --subscribers connected; then
// the same UPDATE and INSERT as plain SQL, with the change-log triggers enabled and disabled.
import pg from 'pg';
import { stallMs } from '../commitPlan.ts';
import { type LoopResult, closedLoop } from '../closedLoop.ts';
import { connectSubscribers, subscriberGroups } from '../connectSubscribers.ts';
import { sampleValue } from '../prometheus.ts';
import { type MutationName, MutationClient } from '../mutations.ts';
import {
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
import { type SqlRun, type Statement, commitSql } from '../sqlCommits.ts';
import { SubscriberFleet } from '../subscriberFleet.ts';
import { WriteTargets, copiesEach, writeBooks } from '../writeTargets.ts';

const { subscribers, seconds, warmupSeconds, concurrency } = settings;
const plan = transportPlans[settings.transport];
const mutationNames: MutationName[] = ['updateBook', 'createBooking'];
const statements: Statement[] = ['UPDATE books', 'INSERT INTO bookings'];
/** The statement each mutation commits (after its checks). */
const statementOf: Record<MutationName, Statement> = {
  updateBook: 'UPDATE books',
  createBooking: 'INSERT INTO bookings',
};
const phase = { warmupMs: warmupSeconds * 1000, measureMs: seconds * 1000 };
/** After a phase, how long its changes may take to reach every subscriber. */
const drainLimitMs = 60_000;

interface MutationRow {
  mutation: MutationName;
  subscribers: number;
  result: LoopResult;
}

interface SubscribedDeliveries {
  mutation: MutationName;
  expected: number;
  delivered: number;
  /**
   * Subscriptions the server had ended as too slow by the end of the phase (its metric): their
   * error may still be on its way to the client when the phase ends, so no client counts it.
   */
  endedSlow: number | undefined;
}

/** One phase: `mutation` from `concurrency` workers, for the warm-up and the measured time. */
const mutate = (client: MutationClient, mutation: MutationName) =>
  closedLoop({ concurrency, ...phase, operation: () => client.send(mutation) });

/** The mutations with no subscriber, then with the subscribers connected over `plan`. */
async function mutationsThroughShelfwire(session: BenchSession, targets: WriteTargets) {
  const server = await RunningServer.start(session, 'shelfwire');
  const client = await MutationClient.create(server.url, concurrency, session.jwtSecret, targets);
  try {
    const rows: MutationRow[] = [];
    for (const mutation of mutationNames) {
      rows.push({ mutation, subscribers: 0, result: await mutate(client, mutation) });
    }
    const fleet = await SubscriberFleet.start(session);
    const [connect] = await connectSubscribers(
      session,
      [server],
      fleet,
      subscriberGroups([server], plan.shelfwire),
      writeBooks,
    );
    const subscribed = connect!.subscribed;
    const endedSlow = async () =>
      sampleValue((await server.metrics()) ?? '', 'shelfwire_subscriptions_ended_total', {
        field: 'bookChanged',
        reason: 'SLOW_CONSUMER',
      });
    const deliveries: SubscribedDeliveries[] = [];
    for (const mutation of mutationNames) {
      const deliveredBefore = fleet.delivered;
      const result = await mutate(client, mutation);
      rows.push({ mutation, subscribers: subscribed, result });
      // Each mutation that succeeded changed one book, which every subscriber hears of; the
      // next phase starts once they all have, so it does not pay for this one's fan-out.
      const expected = subscribed * result.succeededInAll;
      const delivered = () => fleet.delivered - deliveredBefore;
      await fleet.drained(delivered, expected, drainLimitMs, stallMs);
      deliveries.push({ mutation, expected, delivered: delivered(), endedSlow: await endedSlow() });
    }
    const finished = await fleet.finish();
    const load = await server.stop();
    const faults = finished.groups.reduce(
      (sum, group) => sum + group.errors + group.unexpected + group.ended,
      0,
    );
    const firstError = finished.groups.find((group) => group.firstError)?.firstError;
    return { rows, deliveries, subscribed, load, cpu: finished.cpu, faults, firstError };
  } finally {
    client.close();
  }
}

function mutationTable(rows: MutationRow[]): string {
  const header = [
    'mutation',
    'subscribers',
    'mutations',
    'failed',
    'mutations/s',
    'p50 ms',
    'p99 ms',
    'max ms',
  ];
  const cells = rows.map(({ mutation, subscribers, result }) => [
    mutation,
    count(subscribers),
    count(result.succeeded),
    count(result.failed),
    count(Math.round(result.perSecond)),
    ms(result.p50),
    ms(result.p99),
    ms(result.max),
  ]);
  return markdown(header, cells);
}

interface SqlRow {
  statement: Statement;
  triggers: 'enabled' | 'disabled';
  result: SqlRun;
}

function sqlTable(rows: SqlRow[]): string {
  const header = [
    'statement',
    'change-log triggers',
    'commits',
    'failed',
    'commits/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'change_log rows',
  ];
  const cells = rows.map(({ statement, triggers, result }) => [
    statement,
    triggers,
    count(result.succeeded),
    count(result.failed),
    count(Math.round(result.perSecond)),
    ms(result.p50),
    ms(result.p99),
    ms(result.max),
    count(result.changeLogRows),
  ]);
  return markdown(header, cells);
}

const ratios = (a: LoopResult, b: LoopResult) =>
  `p50 ${ratio(a.p50, b.p50)}, p99 ${ratio(a.p99, b.p99)}, per second ${ratio(a.perSecond, b.perSecond)}`;

/** Gives every seeded book enough copies that no booking is refused for want of one. */
async function stockBooks(databaseUrl: string): Promise<void> {
  const db = new pg.Client(databaseUrl);
  await db.connect();
  try {
    await db.query('UPDATE books SET copies = $1', [copiesEach]);
  } finally {
    await db.end();
  }
}

async function run(session: BenchSession): Promise<void> {
  const database = await session.createDatabase(writeBooks);
  await stockBooks(database.url);
  const targets = new WriteTargets(database.bookIds);
  const { load, noisy } = loadAverage();
  console.log(
    `Shelfwire benchmark, writes${noisy ? ' (NOISY)' : ''}: updateBook (copies) and createBooking as GraphQL over HTTP,` +
      ` ${concurrency} in flight at once, each sent as the last answered, for ${seconds} s after ${warmupSeconds} s of warm-up each;` +
      ` with no subscriber, then with ${subscribers} subscribers (${transportsSaid}, ${connectingSaid});` +
      ` then the UPDATE and INSERT they commit, as plain SQL from ${concurrency} connections,` +
      ` with the change-log triggers enabled and disabled, no server running`,
  );
  const note = processesNote();
  if (note) console.log(note);
  for (const line of openingLines(database.version, reproducingCommand())) console.log(line);

  const shelfwire = await mutationsThroughShelfwire(session, targets);
  const sqlRows: SqlRow[] = [];
  for (const statement of statements) {
    for (const triggers of ['enabled', 'disabled'] as const) {
      const result = await commitSql({
        databaseUrl: database.url,
        statement,
        triggers,
        targets,
        concurrency,
        ...phase,
      });
      sqlRows.push({ statement, triggers, result });
    }
  }

  const mark = noisyMark(load);
  const mutation = (name: MutationName, subscribed: number) =>
    shelfwire.rows.find((row) => row.mutation === name && row.subscribers === subscribed)!.result;
  const sql = (statement: Statement, triggers: 'enabled' | 'disabled') =>
    sqlRows.find((row) => row.statement === statement && row.triggers === triggers)!.result;
  console.log(`\n${mutationTable(shelfwire.rows)}\n`);
  for (const name of mutationNames) {
    console.log(
      `${name} with ${count(shelfwire.subscribed)} subscribers / with none: ${ratios(mutation(name, shelfwire.subscribed), mutation(name, 0))}${mark}`,
    );
  }
  for (const delivered of shelfwire.deliveries) {
    console.log(
      `${delivered.mutation}: ${count(delivered.delivered)} of ${count(delivered.expected)} deliveries to the subscribers` +
        ` (one per successful mutation, warm-up included, and subscriber);` +
        ` subscriptions the server had ended as too slow (SLOW_CONSUMER) by then: ${delivered.endedSlow === undefined ? 'n/a' : count(delivered.endedSlow)}`,
    );
  }
  if (shelfwire.faults > 0) {
    console.log(
      `subscriber faults: ${count(shelfwire.faults)}; first error: ${shelfwire.firstError}`,
    );
  }
  console.log(`\n${sqlTable(sqlRows)}\n`);
  for (const statement of statements) {
    console.log(
      `${statement}, triggers enabled / disabled: ${ratios(sql(statement, 'enabled'), sql(statement, 'disabled'))}${mark}`,
    );
  }
  for (const name of mutationNames) {
    console.log(
      `${name} mutation (no subscriber) / ${statementOf[name]} (triggers enabled): ${ratios(mutation(name, 0), sql(statementOf[name], 'enabled'))}`,
    );
  }
  console.log(loadLine('shelfwire', shelfwire.load, shelfwire.cpu) + ' (with the subscribers)');
  for (const row of [...shelfwire.rows, ...sqlRows]) {
    if (row.result.firstError) {
      const what =
        'mutation' in row
          ? `${row.mutation} (${row.subscribers} subscribers)`
          : `${row.statement} (triggers ${row.triggers})`;
      console.log(`${what}: first error: ${row.result.firstError}`);
    }
  }
  console.log(`reproduce with: ${reproducingCommand()}`);
}

/** Bounded whatever happens: eight phases, a connect and their drains, then give up. */
const timeLimitMs = 2 * (300_000 + 8 * (warmupSeconds + seconds) * 1000 + 2 * drainLimitMs);

export const writesScenario: Scenario = { timeLimitMs, run };
