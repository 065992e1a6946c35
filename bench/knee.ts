// `npm run bench:knee`: the fan-out bench at rising commit rates, for Shelfwire and the baseline,
// until each one's p99 passes 1 s or it loses deliveries (its knee). Each step is one
// `bench/run.ts` run, printed in full.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    rates: { type: 'string', default: '25,50,100,150,200,300' },
    seconds: { type: 'string', default: '8' },
    transport: { type: 'string', default: 'ws' },
  },
});
const rates = flags.rates.split(',').map(Number);
/** The p99 a system may reach before it counts as past its knee. */
const kneeMs = 1000;

interface Step {
  rate: number;
  shelfwire: Row;
  baseline: Row;
}
interface Row {
  p99Ms: number;
  deliveriesPerSecond: number;
  lost: number;
}

/** Runs one step and reads the two `all` rows of its delivery table. */
async function runStep(rate: number): Promise<Step> {
  const args = [
    'bench/run.ts',
    ...['--subscribers', flags.subscribers, '--rate', String(rate)],
    ...['--seconds', flags.seconds, '--transport', flags.transport],
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    output += text;
    process.stdout.write(text);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the run at ${rate} commits/s failed (exit ${code})`);
  return { rate, shelfwire: rowOf(output, 'shelfwire'), baseline: rowOf(output, 'baseline') };
}

function rowOf(output: string, system: string): Row {
  const line = output
    .split('\n')
    .find((text) => new RegExp(`^\\| ${system}\\s+\\| all`).test(text));
  if (!line) throw new Error(`no ${system} row in the run's output`);
  const cells = line.split('|').map((cell) => Number(cell.trim().replaceAll(',', '')));
  // | system | transport | subscribers | expected | received | lost | dup | faults | p50 | p99 | max | deliveries/s |
  return { lost: cells[6]!, p99Ms: cells[10]!, deliveriesPerSecond: cells[12]! };
}

/**
 * Past the knee: p99 over 1 s, or deliveries lost (subscribers ended as too slow; when all
 * were, nothing was delivered and there is no p99 at all).
 */
const past = (row: Row) => !(row.p99Ms <= kneeMs) || row.lost > 0;

const steps: Step[] = [];
for (const rate of rates) {
  steps.push(await runStep(rate));
  if (past(steps.at(-1)!.shelfwire) && past(steps.at(-1)!.baseline)) break;
}

const subscribers = Number(flags.subscribers);
console.log(
  `\nknee: ${subscribers} subscribers (${flags.transport}), p99 past ${kneeMs} ms or deliveries lost\n`,
);
console.log(
  '| commits/s | offered/s | Shelfwire p99 ms | Shelfwire deliveries/s | baseline p99 ms | baseline deliveries/s |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const { rate, shelfwire, baseline } of steps) {
  const cells = [rate, rate * subscribers, shelfwire.p99Ms, shelfwire.deliveriesPerSecond];
  cells.push(baseline.p99Ms, baseline.deliveriesPerSecond);
  const shown = cells.map((cell) => (Number.isNaN(cell) ? '–' : cell.toLocaleString('en-US')));
  console.log(`| ${shown.join(' | ')} |`);
}
for (const system of ['shelfwire', 'baseline'] as const) {
  const knee = steps.find((step) => past(step[system]));
  const below = steps.filter((step) => !past(step[system])).at(-1);
  const sustained = below ? below[system].deliveriesPerSecond.toLocaleString('en-US') : 'none';
  console.log(
    `${system}: knee ${knee ? `at ${knee.rate} commits/s` : `not reached up to ${rates.at(-1)} commits/s`}` +
      `; most deliveries/s with p99 under 1 s and none lost: ${sustained}`,
  );
}
console.log(
  `reproduce with: npm run bench:knee -- --subscribers ${flags.subscribers} --rates ${flags.rates} --seconds ${flags.seconds} --transport ${flags.transport}`,
);
