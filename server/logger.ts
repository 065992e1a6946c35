import { AsyncLocalStorage } from 'node:async_hooks';
import { pino } from 'pino';

/** What a log line is about: the HTTP request or the WebSocket connection it was written for. */
export interface LogContext {
  requestId?: string;
  connectionId?: string;
  operationId?: string;
}

const current = new AsyncLocalStorage<LogContext>();

/** Runs `work` so that every line it logs, however deep, carries `context`'s ids. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return current.run({ ...current.getStore(), ...context }, work);
}

const levels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const requested = process.env.LOG_LEVEL as (typeof levels)[number] | undefined;

/**
 * One JSON line per entry on stderr (pino), so replicas' logs can be merged and searched.
 * LOG_LEVEL names the least severe level written; credentials never reach the log.
 */
const base = pino(
  {
    level: requested && levels.includes(requested) ? requested : 'info',
    messageKey: 'message',
    errorKey: 'error',
    timestamp: pino.stdTimeFunctions.isoTime,
    base: undefined,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => ({ ...current.getStore() }),
    serializers: { error: pino.stdSerializers.err },
    redact: {
      paths: [
        'authorization',
        '*.authorization',
        'headers.authorization',
        '*.headers.authorization',
        'connectionParams',
        'token',
      ],
      censor: '[redacted]',
    },
  },
  pino.destination({ fd: 2, sync: true }),
);

type Write = (message: string, context?: Record<string, unknown>) => void;
const at =
  (level: 'debug' | 'info' | 'warn' | 'error'): Write =>
  (message, context) =>
    base[level](context ?? {}, message);

export const logger = {
  debug: at('debug'),
  info: at('info'),
  warn: at('warn'),
  error: at('error'),
};
