import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { logger } from './logger.ts';

/** At most this many refusal lines a minute per instance; the rest are counted in a summary. */
const linesPerMinute = 120;

/**
 * One line, without a stack, for each request a client got refused (its error codes), so an
 * operator sees what clients get wrong. Bounded per minute: a client repeating a bad request
 * thousands of times yields a summary line, not thousands of lines.
 */
export function createRefusalLog() {
  let windowStart = Date.now();
  let written = 0;
  let suppressed = 0;
  return function logRefusal(errors: readonly GraphQLError[], context: Record<string, unknown>) {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      if (suppressed > 0) logger.info('client refusals not logged', { count: suppressed });
      windowStart = now;
      written = 0;
      suppressed = 0;
    }
    if (written >= linesPerMinute) {
      suppressed += 1;
      return;
    }
    written += 1;
    logger.info('request refused', {
      ...context,
      codes: [...new Set(errors.map((error) => String(error.extensions?.code)))],
      // Not `message`: that is the line's own key, and JSON would carry it twice.
      firstError: errors[0]?.message.slice(0, 200),
    });
  };
}

export type RefusalLog = ReturnType<typeof createRefusalLog>;

/** Logs the refusals of HTTP and SSE requests whose answer is a single result with errors. */
export function useRefusalLog(log: RefusalLog): Plugin {
  return {
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const errors = result.errors as readonly GraphQLError[] | undefined;
      if (!errors?.length) return;
      if (errors.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) return;
      log(errors, { method: request.method, path: new URL(request.url).pathname });
    },
  };
}
