import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithError } from './refusal.ts';

/** The header Yoga's own CSRF prevention asks for; a page can only set it after a preflight. */
export const csrfHeader = 'x-graphql-yoga-csrf';

/** The content types a cross-site form or `fetch` may POST without a CORS preflight. */
const preflightFree = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * CSRF prevention for every route: a POST that a page on another site could send without a
 * preflight (a form, or a body with no or a "simple" content type) is refused with 403 before
 * it reaches GraphQL, the SSE streams or dev sign-in, unless it carries `x-graphql-yoga-csrf`.
 *
 * Narrower than `@graphql-yoga/plugin-csrf-prevention`, which asks for that header on every
 * simple request, GETs included: GETs cannot run mutations (Yoga answers them 405), and
 * demanding the header there would break plain `GET /graphql?query=...`, `EventSource`
 * subscriptions and HTTP caching for no gain. This project's own clients (urql, graphql-sse,
 * GraphiQL, the web page) all POST JSON and need no change. Checked at the HTTP edge, not as a
 * Yoga plugin, so it holds whichever plugin ends up serving `/graphql/stream`.
 */
export function refuseCrossSiteForm(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== 'POST' || request.headers[csrfHeader] !== undefined) return false;
  const contentType = (request.headers['content-type'] ?? '').trim().toLowerCase();
  if (contentType && !preflightFree.some((type) => contentType.startsWith(type))) return false;
  answerWithError(
    response,
    403,
    'CSRF_REFUSED',
    `Send GraphQL as application/json; a ${contentType || 'typeless'} POST needs the ${csrfHeader} header.`,
  );
  return true;
}
