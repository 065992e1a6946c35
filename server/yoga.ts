import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type pg from 'pg';
import type { Viewer } from './auth/jwt.ts';
import { requestViewers, useBearerAuth } from './auth/httpAuth.ts';
import { type Context, createLoaders } from './context.ts';
import { logger } from './logger.ts';
import type { ChangeFeed } from './realtime/changeFeed.ts';
import { schema } from './schema/index.ts';

export const graphqlPath = '/graphql';
export const streamPath = '/graphql/stream';

/** What a transport passes in: the WebSocket transport knows the viewer from connectionParams. */
interface TransportContext {
  viewer?: Viewer | null;
}

export function createShelfwireYoga(options: { pool: pg.Pool; changes: ChangeFeed; jwtSecret: string }) {
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
      error: (...args) => logger.error(String(args[0]), { details: args.slice(1) }),
    },
    maskedErrors: {
      // Expected errors carry their code; anything else is logged in full and shown masked.
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) {
          return error;
        }
        logger.error('unexpected error', { error: original ?? error });
        return new GraphQLError(message, {
          nodes: error instanceof GraphQLError ? error.nodes : undefined,
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      },
    },
    context: (initial): Context => ({
      viewer:
        initial.viewer !== undefined ? initial.viewer : (requestViewers.get(initial.request) ?? null),
      db: options.pool,
      loaders: createLoaders(options.pool),
      changes: options.changes,
    }),
    plugins: [useBearerAuth(options.jwtSecret), useGraphQLSSE({ endpoint: streamPath })],
  });
}

export type ShelfwireYoga = ReturnType<typeof createShelfwireYoga>;
