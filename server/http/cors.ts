import type { CORSOptions } from 'graphql-yoga';

/**
 * Cross-origin access for the origins in CORS_ORIGINS only, answered with exactly the caller's
 * origin; any other origin (also `null`, sent by sandboxed frames and file: pages) gets no CORS
 * headers at all, so the browser keeps the answer from it. Credentials are never allowed: the
 * API authenticates with a bearer token, which a page must send itself, not with cookies.
 */
export function corsPolicy(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (request: Request): CORSOptions => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: [
        'accept',
        'authorization',
        'content-type',
        'idempotency-key',
        'x-graphql-event-stream-token',
        'x-graphql-yoga-csrf',
      ],
      // What a page may read of an answer beyond the basic headers: a replayed idempotent answer,
      // and when to retry a refused one.
      exposedHeaders: ['idempotent-replayed', 'retry-after'],
      maxAge: 600,
    };
  };
}
