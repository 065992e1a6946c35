import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { onTokenExpiry } from '../auth/expiry.ts';
import { type Viewer, viewerFromAuthorization } from '../auth/jwt.ts';
import type { Config } from '../config.ts';
import { graphqlPath, type ShelfwireYoga } from '../yoga.ts';

interface SocketExtra extends Record<PropertyKey, unknown> {
  viewer?: Viewer | null;
  cancelExpiry?: () => void;
  /** Aborted when the socket closes, ending its subscriptions at once. */
  closed?: AbortController;
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/**
 * graphql-ws (`graphql-transport-ws`) at /graphql on the same HTTP server. Auth comes from
 * `connectionParams.authorization` ("Bearer ..."), since a browser WebSocket sends no headers.
 */
export function serveGraphqlWs(
  httpServer: Server,
  yoga: ShelfwireYoga,
  options: { jwtSecret: string; config: Config; keepAliveMs?: number },
) {
  const wsServer = new WebSocketServer({ server: httpServer, path: graphqlPath });
  const server = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          ctx.extra.viewer = await viewerFromAuthorization(
            options.jwtSecret,
            typeof authorization === 'string' ? authorization : null,
          );
        } catch (error) {
          ctx.extra.socket.close(
            CloseCode.Forbidden,
            `UNAUTHENTICATED: ${(error as Error).message}`,
          );
          return false;
        }
        // graphql-ws would keep the socket open past the token's expiry, private events included.
        ctx.extra.cancelExpiry = onTokenExpiry(ctx.extra.viewer?.expiresAt, () =>
          ctx.extra.socket.close(CloseCode.Forbidden, 'UNAUTHENTICATED: token expired'),
        );
        ctx.extra.closed = new AbortController();
        return true;
      },
      onClose: (ctx) => {
        ctx.extra.cancelExpiry?.();
        ctx.extra.closed?.abort();
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          viewer: ctx.extra.viewer ?? null,
          signal: ctx.extra.closed?.signal,
        });
        // A query that does not parse fails that operation only; thrown, it would close the socket.
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Invalid query.')];
        }
        const args = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wsServer,
    options.keepAliveMs ?? 12_000,
  );
  return {
    /**
     * Closes every socket with 1001 "Going away", which clients answer by reconnecting. Sockets
     * whose client does not complete the closing handshake in time are cut.
     */
    async close(deadlineMs = 3000) {
      const cut = setTimeout(
        () => wsServer.clients.forEach((socket) => socket.terminate()),
        deadlineMs,
      );
      try {
        await server.dispose();
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
