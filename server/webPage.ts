import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:web` puts the page. */
export const builtPageDir = fileURLToPath(new URL('../client/web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
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
  const base = path.resolve(root) + path.sep;
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    let file: string;
    try {
      const { pathname } = new URL(request.url ?? '/', 'http://page');
      file = path.resolve(
        base,
        pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1)),
      );
    } catch {
      return false; // a malformed path is GraphQL's to answer (404)
    }
    if (!file.startsWith(base)) return false;
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      if (file !== path.join(base, 'index.html')) return false;
      response.writeHead(200, { 'content-type': contentTypes['.html'] }).end(notBuilt);
      return true;
    }
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'x-content-type-options': 'nosniff',
      // Vite names assets by content hash; index.html must always be checked for a new build.
      'cache-control': file.startsWith(path.join(base, 'assets') + path.sep)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else
      createReadStream(file)
        .on('error', () => response.destroy())
        .pipe(response);
    return true;
  };
}

/** The built page of this checkout at `/`. */
export const serveWebPage: Handler = webPageHandler();
