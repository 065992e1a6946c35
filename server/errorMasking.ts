import { type ExecutionResult, GraphQLError } from 'graphql';
import { type Plugin, handleStreamOrSingleExecutionResult } from 'graphql-yoga';
import { DomainError } from './errors.ts';
import { logger } from './logger.ts';

/** Postgres error codes a client's request can cause, as the API's codes. */
const databaseRefusals: Record<string, () => DomainError> = {
  // statement_timeout, or a query cancelled by the request deadline
  '57014': () => new DomainError('TIMEOUT', 'The database took too long: try again later.'),
  // lock_timeout: another transaction holds the rows this request needs
  '55P03': () =>
    new DomainError('TIMEOUT', 'The data is busy with another change: try again shortly.'),
  // a NUL byte or invalid UTF-8 that slipped past validation
  '22021': () => new DomainError('BAD_USER_INPUT', 'Text may not contain NUL bytes.'),
  '22P05': () => new DomainError('BAD_USER_INPUT', 'Text may not contain NUL bytes.'),
  // the server is shutting down or restarting
  '57P01': () => unavailable(),
  '57P03': () => unavailable(),
};

const unavailable = () =>
  new DomainError('SERVICE_UNAVAILABLE', 'The database is not available: try again shortly.', {
    retryAfterSeconds: 1,
  });

/** What a failure from `pg` means to the client, when it is not a bug of ours. */
function databaseRefusal(error: unknown): DomainError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && databaseRefusals[code]) return databaseRefusals[code]();
  // pg-pool's acquire deadline, and a database that refuses connections
  if (/timeout exceeded when trying to connect|Connection terminated/.test(error.message)) {
    return unavailable();
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return unavailable();
  return undefined;
}

/**
 * Yoga's `maskError`. Expected errors keep their message and code. GraphQL's own request errors
 * (a variable of the wrong type) come without a code and are the client's input at fault, as are
 * database refusals caused by the request (a timeout, a NUL byte): those are logged at debug
 * level only, so a client repeating them cannot flood the log. Anything else is a bug: logged in
 * full, shown masked.
 */
export function classifyError(error: unknown, message: string): Error {
  const cause = error instanceof GraphQLError ? error.originalError : error;
  const location = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
  const refusal = databaseRefusal(cause);
  if (refusal) {
    logger.debug('request refused by the database', { code: refusal.extensions.code });
    return new GraphQLError(refusal.message, { ...location, extensions: refusal.extensions });
  }
  if (!(error instanceof GraphQLError) || (cause && !(cause instanceof GraphQLError))) {
    logger.error('unexpected error', { error: cause ?? error });
    return new GraphQLError(message, {
      ...location,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, {
    ...location,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

/** What a client is shown in place of an unexpected error. */
export const unexpectedErrorMessage = 'Unexpected error.';

/** `result` with each error as classifyError shows it to the client. */
export function maskedResult<Result extends ExecutionResult>(result: Result): Result {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((error) => classifyError(error, unexpectedErrorMessage)),
  };
}

/**
 * Every error a client is sent, masked by classifyError: what Yoga's `maskedErrors` does, except
 * for the results of a subscription stream, which are masked where they are made
 * (realtime/sharedResults.ts). Yoga's masking wraps every stream in two iterators of its own,
 * each holding closures and a pending read for as long as the subscription lives: 2.9 KB of each
 * idle graphql-ws subscriber's 13.5 in a heap snapshot of 5,000. Listed first, as Yoga lists its
 * own, so every other plugin sees results masked.
 */
export function useErrorMasking(): Plugin {
  return {
    onPluginInit({ registerContextErrorHandler }) {
      registerContextErrorHandler(({ error, setError }) =>
        setError(classifyError(error, unexpectedErrorMessage)),
      );
    },
    onExecute: () => ({
      onExecuteDone: (payload) =>
        handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) =>
          setResult(maskedResult(result)),
        ),
    }),
    onSubscribe: () => ({
      onSubscribeResult({ result, setResult }) {
        if (!(Symbol.asyncIterator in result)) setResult(maskedResult(result));
      },
    }),
    // Errors Yoga raises outside execution (a plugin's failure, a body it cannot read).
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(maskedResult));
      else if (!(Symbol.asyncIterator in result)) setResult(maskedResult(result));
    },
  };
}
