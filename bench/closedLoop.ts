// A closed-loop load: a few workers each sending the next operation as the last one answers,
// for a while, timing every operation.
import { clock } from './processes.ts';
import { percentile } from './stats.ts';

export interface LoopResult {
  /** Operations that started after the warm-up and succeeded. */
  succeeded: number;
  /** Operations that started after the warm-up and failed. */
  failed: number;
  firstError?: string;
  /** Operations that succeeded, warm-up included: each one a change for any subscriber. */
  succeededInAll: number;
  /** Measured operations per second: from the end of the warm-up to the last one's answer. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** When the last operation answered, on `clock()`. */
  endedAt: number;
}

/**
 * Runs `operation` from `concurrency` workers back to back for `warmupMs + measureMs`; an
 * operation fails by rejecting. Latency is from sending to the answer, on the machine clock.
 */
export async function closedLoop(options: {
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  operation: () => Promise<void>;
}): Promise<LoopResult> {
  const measureFrom = clock() + options.warmupMs;
  const end = measureFrom + options.measureMs;
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let succeededInAll = 0;
  let endedAt = Number.NaN;
  const worker = async () => {
    while (clock() < end) {
      const sentAt = clock();
      const measured = sentAt >= measureFrom;
      try {
        await options.operation();
        succeededInAll += 1;
        if (measured) latencies.push(clock() - sentAt);
      } catch (error) {
        if (measured) failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      endedAt = clock();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const sorted = Float64Array.from(latencies).sort();
  return {
    succeeded: sorted.length,
    failed,
    ...(firstError ? { firstError } : {}),
    succeededInAll,
    perSecond: sorted.length / ((endedAt - measureFrom) / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    endedAt,
  };
}
