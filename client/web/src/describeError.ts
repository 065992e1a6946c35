import type { CombinedError } from '@urql/core';
import { type ErrorCode, errorCode } from '../../src/index.ts';

const messages: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED:
    'The token is not valid (expired, or signed with another secret). Sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'It no longer exists: someone else deleted it.',
  NO_COPY_AVAILABLE: 'No copy is free for those dates.',
  BOOK_HAS_ACTIVE_BOOKINGS: 'This book still has active bookings: cancel them first.',
  INVALID_TRANSITION: 'The booking has moved on meanwhile: that is no longer possible.',
  RATE_LIMITED: 'Too many changes in a short time: wait a minute.',
  QUERY_TOO_COMPLEX: 'That request asks for too much at once.',
  TIMEOUT: 'The server took too long. Try again.',
  SERVICE_UNAVAILABLE: 'The server is busy or restarting. Try again shortly.',
  CSRF_REFUSED: 'The server refused a request not sent by this page.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on the server. Try again.',
};

interface ErrorExtensions {
  field?: unknown;
  limit?: unknown;
  retryAfterSeconds?: unknown;
}

/** The first GraphQL error's message without the `input.isbn: ` prefix that names its field. */
function bareMessage(error: CombinedError): string | undefined {
  const first = error.graphQLErrors[0];
  if (!first) return undefined;
  const field = (first.extensions as ErrorExtensions).field;
  const prefix = typeof field === 'string' ? `${field}: ` : '';
  const message = first.message.startsWith(prefix)
    ? first.message.slice(prefix.length)
    : first.message;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** What to tell a person about an error: by its code when the API gave one. */
export function describeError(error: CombinedError): string {
  const code = errorCode(error);
  const extensions = (error.graphQLErrors[0]?.extensions ?? {}) as ErrorExtensions;
  if (code === 'RATE_LIMITED' && typeof extensions.retryAfterSeconds === 'number') {
    return `Too many changes in a short time: try again in ${extensions.retryAfterSeconds} s.`;
  }
  // The server's own words name the limit and the field ("Limit reached: at most 20 ...").
  if (code === 'LIMIT_EXCEEDED' || code === 'BAD_USER_INPUT') {
    return bareMessage(error) ?? error.message;
  }
  if (error.networkError && !code) return 'The server cannot be reached. Try again.';
  return (code && messages[code]) ?? bareMessage(error) ?? error.message;
}

/** An error placed where it belongs: under one field of the form, or under the whole form. */
export interface FormProblem<Field extends string> {
  field?: Field;
  message: string;
}

/**
 * Places an API error on the form that caused it: `fields` maps the API's `extensions.field`
 * (`input.isbn`) to the form's own field names (`isbn`).
 */
export function formProblem<Field extends string>(
  error: CombinedError,
  fields: Partial<Record<string, Field>>,
): FormProblem<Field> {
  const field = (error.graphQLErrors[0]?.extensions as ErrorExtensions | undefined)?.field;
  return {
    field: typeof field === 'string' ? fields[field] : undefined,
    message: describeError(error),
  };
}
