import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { GraphQLError } from 'graphql';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import type pg from 'pg';
import type { Viewer } from './auth/jwt.ts';
import { requestViewers, useBearerAuth } from './auth/httpAuth.ts';
import type { Config } from './config.ts';
import { type Context, createLoaders } from './context.ts';
import { logger } from './logger.ts';
import type { ChangeFeed } from './realtime/changeFeed.ts';
import { useSharedSubscriptionResults } from './realtime/sharedResults.ts';
import { schema } from './schema/index.ts';

export const graphqlPath = '/graphql';
export const streamPath = '/graphql/stream';

/** What a transport passes in: the WebSocket transport knows the viewer from connectionParams. */
interface TransportContext {
  viewer?: Viewer | null;
  signal?: AbortSignal;
}

export function createShelfwireYoga(options: {
  pool: pg.Pool;
  changes: ChangeFeed;
  jwtSecret: string;
  config: Config;
}) {
  return createYoga<TransportContext, Context>({
    schema,
    graphqlEndpoint: graphqlPath,
    landingPage: false,
    // GraphiQL's headers (Authorization included) also apply to its subscriptions over SSE.
    graphiql: { subscriptionsProtocol: 'SSE', title: 'Shelfwire' },
    logging: {
      debug: () => undefined,
      info: () => undefined,
      warn: (...args) => logger.warn(String(args[0]), { details: args.slice(1) }),
      // Yoga reports every failed request here, bad client input included; the unexpected ones
      // are logged with their stack by classifyError.
      error: (...args) => logger.warn(String(args[0]), { details: args.slice(1) }),
    },
    maskedErrors: { maskError: classifyError },
    context: (initial): Context => ({
      viewer:
        initial.viewer !== undefined
          ? initial.viewer
          : (requestViewers.get(initial.request) ?? null),
      db: options.pool,
      loaders: createLoaders(options.pool),
      changes: options.changes,
      signal: initial.signal ?? requestLifetime(initial.request),
    }),
    plugins: [
      useBearerAuth(options.jwtSecret),
      useGraphQLSSE({ endpoint: streamPath }),
      useSharedSubscriptionResults(),
      // /health says the process answers; /ready also that it hears about changes.
      useReadinessCheck({ endpoint: '/ready', check: () => options.changes.ready }),
    ],
  });
}

/**
 * A signal that aborts when the client goes away. WebSockets pass their own. An HTTP request's
 * is aborted when its response closes, which for a single-connection SSE operation is its short
 * POST, not the stream it feeds, so those have none.
 */
function requestLifetime(request: Request | undefined): AbortSignal | undefined {
  if (!request || new URL(request.url).pathname === streamPath) return undefined;
  return request.signal;
}

/**
 * Expected errors keep their message and code. GraphQL's own request errors (a variable of the
 * wrong type) come without a code and are the client's input at fault. Anything else is a bug:
 * logged in full, shown masked.
 */
function classifyError(error: unknown, message: string): Error {
  const cause = error instanceof GraphQLError ? error.originalError : error;
  if (!(error instanceof GraphQLError) || (cause && !(cause instanceof GraphQLError))) {
    logger.error('unexpected error', { error: cause ?? error });
    return new GraphQLError(message, {
      nodes: error instanceof GraphQLError ? error.nodes : undefined,
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

export type ShelfwireYoga = ReturnType<typeof createShelfwireYoga>;
