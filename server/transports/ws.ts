import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type Viewer, viewerFromAuthorization } from '../auth/jwt.ts';
import { graphqlPath, type ShelfwireYoga } from '../yoga.ts';

interface SocketExtra extends Record<PropertyKey, unknown> {
  viewer?: Viewer | null;
  expiryTimer?: NodeJS.Timeout;
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
  options: { jwtSecret: string; keepAliveMs?: number },
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
        const expiresAt = ctx.extra.viewer?.expiresAt;
        if (expiresAt) {
          ctx.extra.expiryTimer = setTimeout(
            () => ctx.extra.socket.close(CloseCode.Forbidden, 'UNAUTHENTICATED: token expired'),
            Math.max(0, expiresAt * 1000 - Date.now()),
          );
        }
        return true;
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          viewer: ctx.extra.viewer ?? null,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
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
    /** Closes every socket with 1001 "Going away", which clients answer by reconnecting. */
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
