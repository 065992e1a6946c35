// One counter read out of a Prometheus text exposition (GET /metrics).

/**
 * The value of the sample `name{labels}` (every given label matching, others ignored), or
 * undefined when the exposition has no such sample.
 */
export function sampleValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [
        key!,
        value!,
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}
