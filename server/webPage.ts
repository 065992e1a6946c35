import type { IncomingMessage, ServerResponse } from 'node:http';

/** Serves the built web page at `/`; until it is built, `/` points to GraphiQL. */
export function serveWebPage(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.url !== '/') return false;
  response.writeHead(302, { location: '/graphql' }).end();
  return true;
}
