// The benchmark's printed report: the machine, the load, one table row per system and transport.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ServerLoad } from './loadMeter.ts';
import type { MemorySample } from './processes.ts';
import type { DeliveryStats } from './stats.ts';

export interface ReportRow {
  system: 'shelfwire' | 'baseline';
  transport: string;
  stats: DeliveryStats;
}

/** CPU time a process used over wall time, as a share of one core. */
export interface CpuShare {
  cpuMs: number;
  wallMs: number;
}

/** The soft limit on open files of this process, which its children inherit. */
export function openFilesLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return Number.NaN; // not Linux: nothing to check
  }
}

export function machineLine(postgresVersion: string): string {
  const cpus = os.cpus();
  return [
    `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `${os.type()} ${os.release()}`,
    `Node ${process.version}`,
    `Postgres ${postgresVersion}`,
    `open files limit ${openFilesLimit()}`,
    `load average ${os.loadavg()[0]!.toFixed(2)} at the start${noisyMark(os.loadavg()[0]!)}`,
  ].join(', ');
}

export const ms = (value: number) =>
  Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1);
export const count = (value: number) => value.toLocaleString('en-US');
const percent = (share: CpuShare) => `${Math.round((100 * share.cpuMs) / share.wallMs)}%`;
export const ratio = (a: number, b: number) =>
  Number.isFinite(a / b) ? `×${(a / b).toFixed(2)}` : '–';
export const seconds = (milliseconds: number) =>
  Number.isNaN(milliseconds) ? '–' : (milliseconds / 1000).toFixed(2);

export function table(rows: ReportRow[]): string {
  const header = [
    'system',
    'transport',
    'subscribers',
    'expected',
    'received',
    'lost',
    'dup',
    'faults',
    'p50 ms',
    'p99 ms',
    'max ms',
    'deliveries/s',
  ];
  const cells = rows.map(({ system, transport, stats }) => [
    system,
    transport,
    count(stats.subscribers),
    count(stats.expected),
    count(stats.received),
    count(stats.expected - stats.received),
    count(stats.duplicates),
    count(stats.faults),
    ms(stats.p50),
    ms(stats.p99),
    ms(stats.max),
    count(Math.round(stats.perSecond)),
  ]);
  return markdown(header, cells);
}

/** A Markdown table: the first two columns left-aligned, the rest right-aligned. */
export function markdown(header: string[], cells: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => row[column]!.length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column < 2 ? `-${'-'.repeat(width)}-` : `-${'-'.repeat(width)}:`)).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

/** Shelfwire over baseline for the latencies and the delivery rate. */
export function ratioLine(shelfwire: DeliveryStats, baseline: DeliveryStats): string {
  return [
    `shelfwire / baseline: p50 ${ratio(shelfwire.p50, baseline.p50)}`,
    `p99 ${ratio(shelfwire.p99, baseline.p99)}`,
    `max ${ratio(shelfwire.max, baseline.max)}`,
    `deliveries/s ${ratio(shelfwire.perSecond, baseline.perSecond)}`,
  ].join(', ');
}

/** How hard the server worked, and how the subscriber processes fared beside it. */
export function loadLine(system: string, server: ServerLoad, subscribers: CpuShare[]): string {
  return [
    `${system} server: CPU ${percent(server)} of one core`,
    `event-loop delay p99 ${ms(server.loopDelayP99Ms)} ms, max ${ms(server.loopDelayMaxMs)} ms`,
    `peak RSS ${Math.round(server.peakRssMiB)} MiB; subscriber processes: CPU ${subscribers.map(percent).join(' + ')}`,
  ].join(', ');
}

export function problems(rows: ReportRow[]): string[] {
  return rows
    .filter(({ stats }) => stats.firstError)
    .map(
      ({ system, transport, stats }) => `${system} ${transport}: first error: ${stats.firstError}`,
    );
}

/** Above this one-minute load average at the start, other work shares the cores: a noisy run. */
export const quietLoad = 0.5;

/** The one-minute load average now, and whether it makes the run noisy. */
export function loadAverage(): { load: number; noisy: boolean } {
  const load = os.loadavg()[0]!;
  return { load, noisy: load > quietLoad };
}

export const noisyMark = (load: number) =>
  load > quietLoad ? ` [NOISY: load average ${load.toFixed(2)} > ${quietLoad} at the start]` : '';

/** The lines after a scenario's title: the machine, the code, and how to run it again. */
export function openingLines(postgresVersion: string, reproduce: string): string[] {
  return [machineLine(postgresVersion), `${codeLine()}; reproduce with: ${reproduce}`];
}

/** The commit the bench runs, and whether the work tree differs from it. */
export function codeLine(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const dirty = git('status', '--porcelain').length > 0;
    return `code: ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'code: not a git checkout';
  }
}

/** How a system's subscribers connected, and what holding them idle cost the server. */
export interface ConnectRow {
  /** The system, or the server's name when a system runs two (`shelfwire #2`). */
  system: string;
  transports: string;
  subscribers: number;
  /** Subscriptions the server held when the changes began. */
  subscribed: number;
  /** Connections the subscriber processes held then, and the addresses they came from. */
  connections: number;
  addresses: number;
  failed: number;
  /** Connects that failed and were tried again (a subscriber may retry more than once). */
  retried: number;
  /**
   * Connection attempts the kernel dropped during the connect, its accept queue full (a client
   * sends its SYN again a second later); undefined where it is not counted.
   */
  acceptQueueOverflows: number | undefined;
  /**
   * From the mass connect's start until the server held its last subscription (every one, when
   * `subscribed` is all of them), to within `subscribersEveryMs`.
   */
  lastSubscribedMs: number;
  before: MemorySample;
  idle: MemorySample;
}

const kbPer = (bytes: number, subscribers: number) =>
  subscribers > 0 ? (bytes / 1024 / subscribers).toFixed(1) : '–';
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

export function connectTable(rows: ConnectRow[]): string {
  const header = [
    'system',
    'transports',
    'subscribed',
    'connections',
    'addresses',
    'failed',
    'retried',
    'accept queue drops',
    'all subscribed s',
    'RSS before MiB',
    'RSS idle MiB',
    'KB/idle sub (RSS)',
    'KB/idle sub (heap)',
  ];
  const cells = rows.map((row) => [
    row.system,
    row.transports,
    `${count(row.subscribed)} of ${count(row.subscribers)}`,
    count(row.connections),
    count(row.addresses),
    count(row.failed),
    count(row.retried),
    row.acceptQueueOverflows === undefined ? 'n/a' : count(row.acceptQueueOverflows),
    (row.subscribed < row.subscribers ? 'never; last at ' : '') + seconds(row.lastSubscribedMs),
    mib(row.before.rssBytes),
    mib(row.idle.rssBytes),
    kbPer(row.idle.rssBytes - row.before.rssBytes, row.subscribed),
    kbPer(row.idle.heapUsedBytes - row.before.heapUsedBytes, row.subscribed),
  ]);
  return markdown(header, cells);
}

const allSubscribed = (row: ConnectRow) => row.subscribed >= row.subscribers;

/** Shelfwire over baseline for connecting and idle memory. */
export function connectRatioLine(shelfwire: ConnectRow, baseline: ConnectRow): string {
  const perSubscriber = (row: ConnectRow) =>
    (row.idle.rssBytes - row.before.rssBytes) / row.subscribed;
  return [
    `shelfwire / baseline: time to all subscribed ${allSubscribed(shelfwire) && allSubscribed(baseline) ? ratio(shelfwire.lastSubscribedMs, baseline.lastSubscribedMs) : '– (not all subscribed)'}`,
    `KB per idle subscriber (RSS) ${ratio(perSubscriber(shelfwire), perSubscriber(baseline))}`,
  ].join(', ');
}
