/** What happened to a booking, recorded by the database as it happened. */
export const BookingEvent = {
  CANCELLED: 'CANCELLED',
  CONFIRMED: 'CONFIRMED',
  DELETED: 'DELETED',
  PAID: 'PAID',
  REFUNDED: 'REFUNDED',
  REQUESTED: 'REQUESTED',
  RESCHEDULED: 'RESCHEDULED',
} as const;

export type BookingEvent = (typeof BookingEvent)[keyof typeof BookingEvent];
export const BookingStatus = {
  CANCELLED: 'CANCELLED',
  CONFIRMED: 'CONFIRMED',
  PENDING: 'PENDING',
} as const;

export type BookingStatus = (typeof BookingStatus)[keyof typeof BookingStatus];
export const ChangeKind = {
  CREATED: 'CREATED',
  DELETED: 'DELETED',
  UPDATED: 'UPDATED',
} as const;

export type ChangeKind = (typeof ChangeKind)[keyof typeof ChangeKind];
/** The `extensions.code` of every error a client can get. */
export const ErrorCode = {
  /** The HTTP request itself is malformed (a body without a length, a bad stream request). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** Invalid input; `extensions.field` names the field at fault when there is one. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** Deleting a book that is still booked. */
  BOOK_HAS_ACTIVE_BOOKINGS: 'BOOK_HAS_ACTIVE_BOOKINGS',
  /** A POST a browser could send cross-site without a preflight (HTTP 403). */
  CSRF_REFUSED: 'CSRF_REFUSED',
  /** Resuming from a change older than the retention period: refetch instead. */
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  /** Signed in, but not allowed: not an admin, or another user's booking or stream. */
  FORBIDDEN: 'FORBIDDEN',
  /** The document does not parse, or has more tokens than allowed. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The document asks for something the schema does not have. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** A request with the same Idempotency-Key is still running: retry after `extensions.retryAfterSeconds`. */
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  /** A fault of the server: logged in full there, masked for the client. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** An introspection query while introspection is off (the production default). */
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  /** The booking's state does not allow that action. */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** A count cap was reached (`extensions.limit`): operations, streams, bookings. */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** A mutation names a book or booking that does not exist (queries answer null). */
  NOT_FOUND: 'NOT_FOUND',
  /** No copy of the book is free for the whole booking range. */
  NO_COPY_AVAILABLE: 'NO_COPY_AVAILABLE',
  /** An HTTP body over the size limit (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Too deep, too many aliases or directives, or over the cost limit. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** Too many mutations or new subscriptions a minute: retry after `extensions.retryAfterSeconds`. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** No database connection free in time, the database restarting, or the JWKS unreachable: retry shortly. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A subscriber fell too far behind and was ended: resume with its last cursor. */
  SLOW_CONSUMER: 'SLOW_CONSUMER',
  /** The request or one of its statements ran past its deadline, or waited too long on a lock. */
  TIMEOUT: 'TIMEOUT',
  /** No token where one is needed, or a malformed, forged or expired one (HTTP 401). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
export const PaymentStatus = {
  PAID: 'PAID',
  REFUNDED: 'REFUNDED',
  UNPAID: 'UNPAID',
} as const;

export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];
export const Role = {
  admin: 'admin',
  user: 'user',
} as const;

export type Role = (typeof Role)[keyof typeof Role];
