import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { devSignInHandler } from '../devSignIn.ts';
import { logger, withLogContext } from '../logger.ts';
import type { trackEventStreams } from '../transports/eventStreams.ts';
import { webPageHandler } from '../webPage.ts';
import type { ShelfwireYoga } from '../yoga.ts';
import { refuseOversizedBody } from '../limits/requestSize.ts';
import { refuseCrossSiteForm } from './crossSiteForms.ts';
import { answerWithError } from './refusal.ts';
import { setSecurityHeaders } from './securityHeaders.ts';

/**
 * Every HTTP route of the server, in order: security headers on every answer, cross-site forms
 * and oversized bodies refused, metrics, dev sign-in, the web page (never on GraphQL's paths),
 * then GraphQL. A request's failure, thrown or rejected, ends as that request's 500, never as
 * the process's uncaught exception.
 */
export function shelfwireRequestHandler(options: {
  yoga: ShelfwireYoga;
  eventStreams: ReturnType<typeof trackEventStreams>;
  jwtSecret: string;
  /** The built web page to serve at `/`; client/web/dist by default. */
  webPageDir?: string;
  maxRequestBytes: number;
  /** `GET /metrics`: before GraphQL, whose bearer auth would take its token for a JWT. */
  metrics: (request: IncomingMessage, response: ServerResponse) => boolean;
}) {
  const devSignIn = devSignInHandler(options.jwtSecret);
  const webPage = webPageHandler(options.webPageDir);
  return (request: IncomingMessage, response: ServerResponse): void =>
    withLogContext({ requestId: requestIdOf(request, response) }, () => {
      route(request, response);
    });

  function route(request: IncomingMessage, response: ServerResponse): void {
    try {
      setSecurityHeaders(response);
      if (refuseCrossSiteForm(request, response)) return;
      if (refuseOversizedBody(request, response, options.maxRequestBytes)) return;
      if (options.metrics(request, response)) return;
      if (devSignIn(request, response)) return;
      // The API's paths are never files: a page file named as one (graphql.html) must not
      // answer for it, and a stream's GET need not look through the disk for one.
      if (!isApiPath(request, options.yoga.graphqlEndpoint) && webPage(request, response)) return;
      options.eventStreams.track(request, response);
      Promise.resolve(options.yoga(request, response)).catch((error: unknown) =>
        failRequest(request, response, error),
      );
    } catch (error) {
      failRequest(request, response, error);
    }
  }
}

/** The GraphQL endpoint itself or a path below it (`/graphql/stream`), with or without a query. */
function isApiPath(request: IncomingMessage, endpoint: string): boolean {
  if (!request.url?.startsWith(endpoint)) return false;
  return ['', '/', '?'].includes(request.url.charAt(endpoint.length));
}

/**
 * The request's id for the log and the answer's `x-request-id`: the one a proxy sent when it
 * looks like an id, else a new one.
 */
function requestIdOf(request: IncomingMessage, response: ServerResponse): string {
  const sent = request.headers['x-request-id'];
  const id = typeof sent === 'string' && /^[\w.:-]{1,64}$/.test(sent) ? sent : randomUUID();
  response.setHeader('x-request-id', id);
  return id;
}

function failRequest(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  logger.error('request failed', { error, method: request.method, url: request.url });
  if (response.headersSent) {
    response.destroy();
    return;
  }
  answerWithError(response, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
}
