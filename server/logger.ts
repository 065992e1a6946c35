/** One-line JSON logs on stderr, so replicas' logs can be merged and searched. */
type Level = 'debug' | 'info' | 'warn' | 'error';

function write(level: Level, message: string, context?: Record<string, unknown>) {
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), message };
  for (const [key, value] of Object.entries(context ?? {})) {
    entry[key] = value instanceof Error ? { message: value.message, stack: value.stack } : value;
  }
  process.stderr.write(JSON.stringify(entry) + '\n');
}

const ranks = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;
/** LOG_LEVEL: the least severe level written (`silent` writes nothing). */
const threshold = ranks[(process.env.LOG_LEVEL as keyof typeof ranks) ?? 'info'] ?? ranks.info;
const at = (level: Level) => (message: string, context?: Record<string, unknown>) =>
  ranks[level] >= threshold && write(level, message, context);

export const logger = {
  debug: at('debug'),
  info: at('info'),
  warn: at('warn'),
  error: at('error'),
};
