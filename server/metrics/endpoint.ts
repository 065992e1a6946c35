import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '../logger.ts';
import type { ShelfwireMetrics } from './metrics.ts';

export const metricsPath = '/metrics';

/**
 * `GET /metrics` in the Prometheus text format. With a `token`, only for `Authorization: Bearer
 * <token>` (401 otherwise). Routed before GraphQL, whose auth would take the token for a JWT.
 */
export function metricsEndpoint(metrics: ShelfwireMetrics, token: string | undefined) {
  const expected = token === undefined ? null : digest(token);
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.url?.split('?')[0] !== metricsPath) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (expected && !presents(request.headers.authorization, expected)) {
      response
        .writeHead(401, {
          'www-authenticate': 'Bearer realm="metrics"',
          'content-type': 'text/plain',
        })
        .end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
    } else {
      metrics.scrape().then(
        (text) =>
          response
            .writeHead(200, {
              'content-type': metrics.registry.contentType,
              'cache-control': 'no-store',
            })
            .end(request.method === 'HEAD' ? undefined : text),
        (error: unknown) => {
          logger.error('collecting metrics failed', { error });
          response
            .writeHead(500, { 'content-type': 'text/plain' })
            .end('Collecting metrics failed.\n');
        },
      );
    }
    return true;
  };
}

// Compared as digests: equal lengths for timingSafeEqual, and no hint of the token's length.
const digest = (text: string) => createHash('sha256').update(text).digest();

function presents(authorization: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}
