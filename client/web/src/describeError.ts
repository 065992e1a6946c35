import type { CombinedError } from '@urql/core';
import { type ErrorCode, errorCode } from '../../src/index.ts';

const messages: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED:
    'The token is not valid (expired, or signed with another secret). Sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NO_COPY_AVAILABLE: 'No copy is free for those dates.',
  BOOK_HAS_ACTIVE_BOOKINGS: 'This book still has active bookings.',
};

/** What to tell a person about an error: by its code when the API gave one. */
export function describeError(error: CombinedError): string {
  const code = errorCode(error);
  return (code && messages[code]) ?? error.graphQLErrors[0]?.message ?? error.message;
}
