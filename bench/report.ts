// The benchmark's printed report: the machine, the load, one table row per system and transport.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ServerLoad } from './loadMeter.ts';
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
    `load average ${os.loadavg()[0]!.toFixed(2)} at the start`,
  ].join(', ');
}

const ms = (value: number) =>
  Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1);
const count = (value: number) => value.toLocaleString('en-US');
const percent = (share: CpuShare) => `${Math.round((100 * share.cpuMs) / share.wallMs)}%`;
const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;

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
