import { DomainError } from '../errors.ts';

/**
 * The `authorization` of a graphql-ws `connection_init` payload: a string such as
 * "Bearer <jwt>", or null when the client sends none. Any other type, or the key spelled another
 * way ("Authorization"), is refused rather than taken as anonymous. Other keys are ignored.
 */
export function authorizationFromConnectionParams(
  params: Readonly<Record<string, unknown>> | null | undefined,
): string | null {
  if (!params) return null;
  const misspelt = Object.keys(params).find(
    (key) => key !== 'authorization' && key.toLowerCase() === 'authorization',
  );
  if (misspelt) {
    throw new DomainError(
      'UNAUTHENTICATED',
      `Invalid connectionParams: send the token as "authorization", not "${misspelt.slice(0, 20)}".`,
    );
  }
  if (!Object.hasOwn(params, 'authorization')) return null;
  const authorization = params.authorization;
  if (typeof authorization !== 'string') {
    throw new DomainError(
      'UNAUTHENTICATED',
      'Invalid connectionParams: "authorization" must be a string "Bearer <token>".',
    );
  }
  return authorization;
}
