import type { CombinedError, ExecutionResult } from '@urql/core';
import type { ErrorCode } from './gql/enums.ts';

export type { ErrorCode };

/** The `extensions.code` of the first GraphQL error, as the API's error table names it. */
export function errorCode(error: CombinedError | null | undefined): ErrorCode | undefined {
  return error?.graphQLErrors[0]?.extensions.code as ErrorCode | undefined;
}

/** The same for a raw result, before urql has wrapped it. */
export function resultErrorCode(result: ExecutionResult): ErrorCode | undefined {
  const errors = result.errors as readonly { extensions?: Record<string, unknown> }[] | undefined;
  return errors?.[0]?.extensions?.code as ErrorCode | undefined;
}
