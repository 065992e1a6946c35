import { GraphQLError } from 'graphql';

/**
 * Every `extensions.code` a client can get, with when it happens: published in the schema as the
 * `ErrorCode` enum (and so generated for the client) and listed in the README, checked by a test.
 */
export const errorCodes = {
  UNAUTHENTICATED:
    'No token where one is needed, or a malformed, forged or expired one (HTTP 401).',
  FORBIDDEN: "Signed in, but not allowed: not an admin, or another user's booking or stream.",
  NOT_FOUND: 'A mutation names a book or booking that does not exist (queries answer null).',
  BAD_USER_INPUT: 'Invalid input; `extensions.field` names the field at fault when there is one.',
  GRAPHQL_PARSE_FAILED: 'The document does not parse, or has more tokens than allowed.',
  GRAPHQL_VALIDATION_FAILED: 'The document asks for something the schema does not have.',
  QUERY_TOO_COMPLEX: 'Too deep, too many aliases or directives, or over the cost limit.',
  BAD_REQUEST:
    'The HTTP request itself is malformed (a body without a length, a bad stream request).',
  PAYLOAD_TOO_LARGE: 'An HTTP body over the size limit (HTTP 413).',
  NO_COPY_AVAILABLE: 'No copy of the book is free for the whole booking range.',
  INVALID_TRANSITION: "The booking's state does not allow that action.",
  BOOK_HAS_ACTIVE_BOOKINGS: 'Deleting a book that is still booked.',
  CURSOR_EXPIRED: 'Resuming from a change older than the retention period: refetch instead.',
  SLOW_CONSUMER: 'A subscriber fell too far behind and was ended: resume with its last cursor.',
  LIMIT_EXCEEDED: 'A count cap was reached (`extensions.limit`): operations, streams, bookings.',
  RATE_LIMITED:
    'Too many mutations or new subscriptions a minute: retry after `extensions.retryAfterSeconds`.',
  IDEMPOTENCY_CONFLICT:
    'A request with the same Idempotency-Key is still running: retry after `extensions.retryAfterSeconds`.',
  TIMEOUT:
    'The request or one of its statements ran past its deadline, or waited too long on a lock.',
  SERVICE_UNAVAILABLE:
    'No database connection free in time, the database restarting, or the JWKS unreachable: retry shortly.',
  INTROSPECTION_DISABLED:
    'An introspection query while introspection is off (the production default).',
  CSRF_REFUSED: 'A POST a browser could send cross-site without a preflight (HTTP 403).',
  INTERNAL_SERVER_ERROR: 'A fault of the server: logged in full there, masked for the client.',
} as const;

/** The stable error codes of the API, sent as `extensions.code`. */
export type ErrorCode = keyof typeof errorCodes;

/** An expected failure: shown to the client as is, with its code. */
export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const unauthenticated = () =>
  new DomainError('UNAUTHENTICATED', 'Sign in first: send an Authorization bearer token.');
export const forbidden = (what: string) => new DomainError('FORBIDDEN', `Not allowed: ${what}.`);
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found.`);
export const badInput = (field: string, message: string) =>
  new DomainError('BAD_USER_INPUT', `${field}: ${message}`, { field });

/** A count cap (subscriptions on one connection, active bookings of one user) is reached. */
export const limitExceeded = (what: string, limit: number) =>
  new DomainError('LIMIT_EXCEEDED', `Limit reached: at most ${limit} ${what}.`, { limit });
/** Too many requests of one kind in a window; retry after the hint. */
export const rateLimited = (what: string, retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', `Too many ${what}: retry in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });
