import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { apiContentSecurityPolicy, pageContentSecurityPolicy } from './http/securityHeaders.ts';

/** Where `npm run build:web` puts the page. */
export const builtPageDir = fileURLToPath(new URL('../client/web/dist/', import.meta.url));

/** Text types with their charset, as browsers should read them; others as sirv knows them. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

const notBuilt = `<!doctype html><meta charset="utf-8"><title>Shelfwire</title>
<p>The web page is not built yet: run <code>npm run build:web</code> and reload.
<p>GraphiQL is at <a href="/graphql">/graphql</a>.`;

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Serves the built page in `root` at `/`: its files with their content types, and nothing
 * else, so every other path falls through to GraphQL. Until it is built, `/` says so.
 */
export function webPageHandler(root: string = builtPageDir): Handler {
  const dir = path.resolve(root);
  const index = path.join(dir, 'index.html');
  const serve = sirv(dir, {
    // Looked up per request, so a rebuild shows on reload; sirv keeps every path inside `dir`.
    dev: true,
    etag: true,
    extensions: ['html'],
    setHeaders: (response, pathname) => {
      const type = contentTypes[pathname.endsWith('/') ? '.html' : path.extname(pathname)];
      if (type) response.setHeader('content-type', type);
      response.setHeader('content-security-policy', pageContentSecurityPolicy);
      // Vite names assets by content hash; index.html must always be checked for a new build.
      response.setHeader(
        'cache-control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    // sirv pipes a file stream without an error listener: a file removed mid-answer (a rebuild)
    // would otherwise be an uncaught error.
    const guard = (file: NodeJS.ReadableStream) =>
      file.once('error', (error: Error) => response.destroy(error));
    response.once('pipe', guard);
    // The page needs no partial answers, and sirv's range parsing throws on a reversed range.
    delete request.headers.range;
    // Set before sirv runs: its 304 answers skip setHeaders, and a browser takes the headers of a
    // 304 into its cached page, which would then load under the API's policy (a blank page).
    response.setHeader('content-security-policy', pageContentSecurityPolicy);
    let served = true;
    serve(request, response, () => {
      served = false;
    });
    if (served) return true;
    response.setHeader('content-security-policy', apiContentSecurityPolicy);
    response.off('pipe', guard);
    if (request.url?.split('?')[0] !== '/' || existsSync(index)) return false;
    response
      .writeHead(200, {
        'content-type': contentTypes['.html'],
        'content-security-policy': pageContentSecurityPolicy,
      })
      .end(notBuilt);
    return true;
  };
}
