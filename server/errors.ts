import { GraphQLError } from 'graphql';

/** The stable error codes of the API, sent as `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'NO_COPY_AVAILABLE'
  | 'INVALID_TRANSITION'
  | 'BOOK_HAS_ACTIVE_BOOKINGS'
  | 'CURSOR_EXPIRED'
  | 'SLOW_CONSUMER'
  | 'GRAPHQL_PARSE_FAILED'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'QUERY_TOO_COMPLEX'
  | 'LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  | 'INTROSPECTION_DISABLED'
  | 'CSRF_REFUSED';

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
