import { Histogram, Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { WeightedHistogram } from './weightedHistogram.ts';

const bounds = [0.01, 0.1, 1];
const name = 'test_latency_seconds';
const help = 'A latency.';

const sumsIn = (text: string) =>
  [...text.matchAll(/^\S+_sum\S* (\S+)$/gm)].map(([, v]) => Number(v));

describe('WeightedHistogram', () => {
  test("exposes what prom-client's Histogram exposes for the same observations one by one", async () => {
    const weighted = new Registry();
    const plain = new Registry();
    const histogram = new WeightedHistogram(name, help, 'field', bounds, weighted);
    const reference = new Histogram({
      name,
      help,
      labelNames: ['field'],
      buckets: bounds,
      registers: [plain],
    });
    const observations: [string, number, number][] = [
      ['bookChanged', 0.005, 300],
      ['bookChanged', 0.5, 2],
      ['bookChanged', 7, 1],
      ['bookingChanged', 0.1, 40],
      ['bookingChanged', 0.01, 1],
    ];
    for (const [field, seconds, times] of observations) {
      histogram.observe(field, seconds, times);
      for (let n = 0; n < times; n += 1) reference.observe({ field }, seconds);
    }
    const [mine, theirs] = [await weighted.metrics(), await plain.metrics()];
    // Sums differ in the last digits: one multiplication against many additions.
    const withoutSums = (text: string) => text.replace(/^\S+_sum.*$/gm, '');
    expect(withoutSums(mine)).toBe(withoutSums(theirs));
    expect(sumsIn(mine)).toHaveLength(2);
    sumsIn(mine).forEach((sum, index) => expect(sum).toBeCloseTo(sumsIn(theirs)[index]!, 9));
    expect(mine).toContain('test_latency_seconds_bucket{le="0.01",field="bookChanged"} 300');
  });

  test('reset forgets every series', async () => {
    const registry = new Registry();
    const histogram = new WeightedHistogram(name, help, 'field', bounds, registry);
    histogram.observe('bookChanged', 0.5, 10);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('bookChanged');
  });
});
