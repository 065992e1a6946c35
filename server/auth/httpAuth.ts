import type { Plugin } from 'graphql-yoga';
import { DomainError } from '../errors.ts';
import { type Viewer, viewerFromAuthorization } from './jwt.ts';

/** The viewer of each HTTP request, as found by `useBearerAuth`. */
export const requestViewers = new WeakMap<Request, Viewer | null>();

/**
 * Verifies the `Authorization` header before any route runs, so a bad token gets a clean 401
 * with UNAUTHENTICATED on every route: plain HTTP, SSE and the single-connection SSE stream
 * (whose own error path would otherwise answer 500 with a stack trace).
 */
export function useBearerAuth(secret: string): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      try {
        requestViewers.set(
          request,
          await viewerFromAuthorization(secret, request.headers.get('authorization')),
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [error.toJSON()] }), {
            status: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
          }),
        );
      }
    },
  };
}
