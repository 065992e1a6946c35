// How many changes a run commits at --rate, and how long it waits for their deliveries.
import { type ReportRow, problems } from './report.ts';
import { reproducingCommand, settings } from './settings.ts';
import type { CommitTimes } from './writer.ts';

const { rate, seconds, warmupSeconds } = settings;

/** Commits that warm the system up; the measurements start after them. */
export const warmupCommits = Math.round(rate * warmupSeconds);
export const commits = warmupCommits + Math.round(rate * seconds);
/** After the last commit, wait for deliveries while they keep coming, but not past this. */
export const drainLimitMs = (warmupSeconds + seconds) * 1000 + 60_000;
/** Deliveries still missing when none has come for this long are counted as lost. */
export const stallMs = 5000;

/** The rate the writer achieved over the measured commits. */
export function writerLine(system: string, { committedAt, late }: CommitTimes): string {
  const span = (committedAt[commits - 1]! - committedAt[warmupCommits]!) / 1000;
  const achieved = (commits - warmupCommits - 1) / span;
  return `${system} writer: ${commits - warmupCommits} measured commits at ${achieved.toFixed(1)}/s (${late} started late)`;
}

/** The lines that end a run's report: the writers' rates, any problems, and how to reproduce it. */
export function printRunEnd(
  writers: { shelfwire: CommitTimes; baseline: CommitTimes },
  rows: ReportRow[],
): void {
  console.log(writerLine('shelfwire', writers.shelfwire));
  console.log(writerLine('baseline', writers.baseline));
  for (const problem of problems(rows)) console.log(problem);
  if (settings.profileDir) console.log(`server CPU profiles written to ${settings.profileDir}`);
  console.log(`reproduce with: ${reproducingCommand()}`);
}
