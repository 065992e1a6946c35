import type { Plugin } from 'graphql-yoga';
import { DomainError } from '../errors.ts';
import type { Viewer } from './jwt.ts';
import type { TokenVerifier } from './tokenVerifier.ts';

/** The viewer of each HTTP request, as found by `useBearerAuth`. */
export const requestViewers = new WeakMap<Request, Viewer | null>();

const probePaths = new Set(['/health', '/ready']);

/**
 * Verifies the `Authorization` header before any route runs, so a bad token gets a clean 401
 * with UNAUTHENTICATED on every route: plain HTTP, SSE and the single-connection SSE stream,
 * whose handler then checks the viewer against the reservation's owner. Keys that cannot be
 * fetched answer 503: the client's token may well be good.
 */
export function useBearerAuth(tokens: TokenVerifier): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      // Probes answer about the process, whoever asks; a stray header must not fail them.
      if (probePaths.has(new URL(request.url).pathname)) return;
      try {
        requestViewers.set(request, await tokens.viewerFrom(request.headers.get('authorization')));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const unauthenticated = error.extensions.code === 'UNAUTHENTICATED';
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [error.toJSON()] }), {
            status: unauthenticated ? 401 : 503,
            headers: {
              'content-type': 'application/json',
              ...(unauthenticated ? { 'www-authenticate': 'Bearer' } : { 'retry-after': '30' }),
            },
          }),
        );
      }
    },
  };
}
