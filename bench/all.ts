// `npm run bench:all`: every row of the README's benchmark section, one run after another, each
// printed in full with its own reproduce command, each once the machine is quiet again. Takes
// about 50 minutes on two cores.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { quietLoad } from './report.ts';

const twentyThousand = ['--subscribers', '20000', '--clients', '4', '--transport', 'ws'];

/** Each measurement: what it answers, and the bench arguments that produce it. */
const runs: { measures: string; script: string; args: string[] }[] = [
  {
    measures:
      '`npm run bench` as shipped: 1,000 subscribers, half graphql-ws, half SSE, 50 changes/s',
    script: 'bench/run.ts',
    args: [],
  },
  {
    measures: 'throughput knee, graphql-ws (1,000 subscribers, rising rates)',
    script: 'bench/knee.ts',
    args: ['--subscribers', '1000', '--rates', '50,100,150,200,300', '--seconds', '8'],
  },
  ...(['ws', 'sse', 'sse-single'] as const).map((transport) => ({
    measures: `10,000 subscribers on one instance, 10 changes/s, ${transport}`,
    script: 'bench/run.ts',
    args: [...tenThousand(transport), '--rate', '10', '--seconds', '10'],
  })),
  {
    measures: 'mass reconnect: 10,000 drop and resume with after while changes keep coming',
    script: 'bench/run.ts',
    // Long enough after the drop (two thirds of it) for the last client to be live again: at
    // 30 s the writer stopped 20 s after the drop, before the last 2,724 of 10,000 had a live change.
    args: ['--scenario', 'reconnect', ...tenThousand('ws'), '--rate', '10', '--seconds', '45'],
  },
  {
    measures: '20,000 subscribers on two instances',
    script: 'bench/run.ts',
    args: ['--scenario', 'instances', ...twentyThousand, '--rate', '10', '--seconds', '10'],
  },
  {
    measures: 'writes: mutations with no subscribers and with 10,000; the triggers’ commit cost',
    script: 'bench/run.ts',
    args: ['--scenario', 'writes', ...tenThousand('ws'), '--seconds', '10'],
  },
  {
    measures: 'batches: 100 subscribers following 1,000 changes/s, bookChanged vs bookChanges',
    script: 'bench/run.ts',
    args: ['--scenario', 'batches', '--subscribers', '100', '--rate', '1000', '--seconds', '20'],
  },
];
function tenThousand(transport: string): string[] {
  return ['--subscribers', '10000', '--clients', '4', '--transport', transport];
}

/**
 * Waits, up to five minutes, for the one-minute load average to fall to quiet: right after a
 * run it still counts that run's own processes, and each run marks itself NOISY above it.
 */
async function quiet(): Promise<void> {
  const load = () => os.loadavg()[0]!;
  if (load() <= quietLoad) return;
  console.log(`\nwaiting for the load average (${load().toFixed(2)}) to fall to ${quietLoad}`);
  const giveUpAt = Date.now() + 5 * 60_000;
  while (load() > quietLoad && Date.now() < giveUpAt) await sleep(5000);
  if (load() > quietLoad) console.log(`still ${load().toFixed(2)} after five minutes: running`);
}

// `npm run bench:all -- 2 3` runs only the second and third.
const only = process.argv.slice(2);
console.log(`bench:all on ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}`);
for (const [index, run] of runs.entries()) {
  if (only.length && !only.includes(String(index + 1))) continue;
  await quiet();
  console.log(`\n## ${index + 1}. ${run.measures}\n`);
  const child = spawn(process.execPath, [run.script, ...run.args], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    console.error(`${run.script} ${run.args.join(' ')} failed (exit ${code})`);
    process.exitCode = 1;
  }
}
