/** One-line JSON logs on stderr, so replicas' logs can be merged and searched. */
type Level = 'debug' | 'info' | 'warn' | 'error';

function write(level: Level, message: string, context?: Record<string, unknown>) {
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), message };
  for (const [key, value] of Object.entries(context ?? {})) {
    entry[key] = value instanceof Error ? { message: value.message, stack: value.stack } : value;
  }
  process.stderr.write(JSON.stringify(entry) + '\n');
}

const quiet = process.env.LOG_LEVEL === 'silent';
const debugOn = process.env.LOG_LEVEL === 'debug';

export const logger = {
  debug: (message: string, context?: Record<string, unknown>) =>
    debugOn && write('debug', message, context),
  info: (message: string, context?: Record<string, unknown>) =>
    !quiet && write('info', message, context),
  warn: (message: string, context?: Record<string, unknown>) =>
    !quiet && write('warn', message, context),
  error: (message: string, context?: Record<string, unknown>) =>
    !quiet && write('error', message, context),
};
