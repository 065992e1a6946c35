// The benchmark's settings: flags, else BENCH_* variables, else defaults; and the command that
// gives the same settings again.
import { parseArgs } from 'node:util';
import { type Transport, pacedBatch } from './processes.ts';
import { openFilesLimit } from './report.ts';

const { values: flags } = parseArgs({
  options: {
    scenario: { type: 'string' },
    subscribers: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    clients: { type: 'string' },
    addresses: { type: 'string' },
    transport: { type: 'string' },
    connect: { type: 'string' },
    profile: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
type Flag = keyof typeof flags;
const fromEnvironment = (name: Flag) => flags[name] ?? process.env[`BENCH_${name.toUpperCase()}`];

/** A flag, else BENCH_<NAME> from the environment, else the default. */
function setting(name: Flag, fallback: number): number {
  const value = Number(fromEnvironment(name) ?? fallback);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Which transports each system's subscribers use: Shelfwire's and the baseline's counterparts. */
export const transportPlans = {
  ws: { shelfwire: ['graphql-ws'], baseline: ['ws'] },
  sse: { shelfwire: ['graphql-sse'], baseline: ['sse'] },
  'sse-single': { shelfwire: ['graphql-sse-single'], baseline: ['sse-single'] },
  mixed: { shelfwire: ['graphql-ws', 'graphql-sse'], baseline: ['ws', 'sse'] },
} as const satisfies Record<string, Record<'shelfwire' | 'baseline', Transport[]>>;
export type TransportPlan = keyof typeof transportPlans;

/**
 * fanout: changes fanned out to subscribers that stay; reconnect: every subscriber drops and
 * resumes at once, mid-stream; writes: mutations and commits per second, without and with
 * subscribers; instances: fan-out from two server processes on one database; batches: a busy
 * stream followed a message per change (bookChanged), then in batches (bookChanges).
 */
export const scenarios = ['fanout', 'reconnect', 'writes', 'instances', 'batches'] as const;
export type ScenarioName = (typeof scenarios)[number];
const scenario = fromEnvironment('scenario') ?? 'fanout';
if (!(scenarios as readonly string[]).includes(scenario)) {
  throw new Error(`--scenario must be one of ${scenarios.join(', ')}`);
}

// The writes scenario's subscribers are there to load the server, over graphql-ws; the batches
// scenario compares two subscriptions, over graphql-ws unless asked otherwise.
const transport =
  fromEnvironment('transport') ??
  (scenario === 'writes' || scenario === 'batches' ? 'ws' : 'mixed');
if (!Object.hasOwn(transportPlans, transport)) {
  throw new Error(`--transport must be one of ${Object.keys(transportPlans).join(', ')}`);
}

const connect = fromEnvironment('connect') ?? 'mass';
if (connect !== 'mass' && connect !== 'paced') throw new Error('--connect must be mass or paced');

/** Descriptors a subscriber process needs beside its connections (Node, IPC, stdio). */
const filesReserved = 1024;
// The batches scenario follows a busy stream (1,000 changes/s) with a few subscribers.
const batches = scenario === 'batches';
const subscribers = Math.round(setting('subscribers', batches ? 100 : 1000));
const requestedClients = Math.round(setting('clients', 2));
const filesLimit = openFilesLimit();
/** Enough subscriber processes that none holds more connections than its open-files limit. */
const clients = Number.isFinite(filesLimit)
  ? Math.max(requestedClients, Math.ceil(subscribers / Math.max(1, filesLimit - filesReserved)))
  : requestedClients;
const addresses = Math.round(setting('addresses', 8));
if (addresses > 254) throw new Error('--addresses must be at most 254 (127.0.0.1 to 127.0.0.254)');
/** Server processes of each system: the instances scenario runs two on one database. */
const instances = scenario === 'instances' ? 2 : 1;

export const settings = {
  scenario: scenario as ScenarioName,
  subscribers,
  rate: setting('rate', batches ? 1000 : 50),
  seconds: setting('seconds', 20),
  warmupSeconds: setting('warmup', 2),
  clients,
  requestedClients,
  /** The loopback addresses the subscribers connect from (Linux routes 127.0.0.0/8 to lo). */
  localAddresses: Array.from({ length: addresses }, (_, n) => `127.0.0.${n + 1}`),
  transport: transport as TransportPlan,
  /** All subscribers connecting at once, or a few at a time (`pacedBatch`). */
  connect: connect as 'mass' | 'paced',
  /** Where to write the servers' CPU profiles (`node --cpu-prof`), when given. */
  profileDir: flags.profile ?? process.env.BENCH_PROFILE,
  instances,
  /** Mutations (or commits) in flight at once in the writes scenario, each sent on its answer. */
  concurrency: Math.round(setting('concurrency', 8)),
  /** Descriptors a server process needs: one per subscriber it holds, and room for the rest. */
  serverFilesNeeded: Math.ceil(subscribers / instances) + filesReserved,
  adminUrl:
    process.env.BENCH_DATABASE_URL ||
    process.env.DATABASE_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres',
};

/** The subscribers' transports, in words. */
export const transportsSaid = {
  ws: 'graphql-ws',
  sse: 'graphql-sse in distinct connections mode',
  'sse-single': 'graphql-sse in single-connection mode, a stream each',
  mixed: 'graphql-ws and graphql-sse in distinct connections mode, half each',
}[settings.transport];

/** How the subscribers connect, in words. */
export const connectingSaid =
  `${settings.clients} subscriber processes connecting ${settings.connect === 'mass' ? 'all at once' : `${pacedBatch} at a time each`}` +
  ` from ${settings.localAddresses.length} loopback addresses (${settings.localAddresses[0]}-${settings.localAddresses.at(-1)})`;

/** Why there are more subscriber processes than asked for, when there are. */
export function processesNote(): string | undefined {
  if (settings.clients <= settings.requestedClients) return undefined;
  return `(${settings.clients} subscriber processes, not ${settings.requestedClients}, so that none holds more connections than its open files limit)`;
}

/** The command that runs the benchmark with exactly these settings again. */
export function reproducingCommand(): string {
  const s = settings;
  const database = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  const shown = database ? new URL(database) : undefined;
  if (shown?.password) shown.password = 'PASSWORD';
  return [
    shown ? `BENCH_DATABASE_URL='${shown.toString()}' ` : '',
    `npm run bench -- --scenario ${s.scenario} --subscribers ${s.subscribers}`,
    s.scenario === 'writes' ? ` --concurrency ${s.concurrency}` : ` --rate ${s.rate}`,
    ` --seconds ${s.seconds} --warmup ${s.warmupSeconds}`,
    ` --clients ${s.clients} --addresses ${s.localAddresses.length}`,
    ` --transport ${s.transport} --connect ${s.connect}`,
    s.profileDir ? ` --profile ${s.profileDir}` : '',
  ].join('');
}
