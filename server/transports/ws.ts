import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { onTokenExpiry } from '../auth/expiry.ts';
import { authorizationFromConnectionParams } from '../auth/connectionParams.ts';
import type { Viewer } from '../auth/jwt.ts';
import type { TokenVerifier } from '../auth/tokenVerifier.ts';
import type { Config } from '../config.ts';
import type { SharedResultSender } from '../context.ts';
import { classifyError } from '../errorMasking.ts';
import { limitExceeded } from '../errors.ts';
import { clientAddressOf } from '../http/clientAddress.ts';
import { withLogContext } from '../logger.ts';
import { sharedJson } from '../realtime/sharedResults.ts';
import { serveProtocol } from './graphqlWsSockets.ts';
import { graphqlPath, type ShelfwireYoga } from '../yoga.ts';

interface SocketExtra {
  socket: WebSocket;
  /** Whom an anonymous client's limits count against, read from the upgrade request. */
  clientAddress: string;
  viewer?: Viewer | null;
  cancelExpiry?: () => void;
  /** Names this socket in the log. */
  connectionId?: string;
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
  options: { tokens: TokenVerifier; config: Config },
) {
  const { limits, trustProxyHops } = options.config;
  // ws accepts 100 MiB messages by default; no legal message (connection_init included) is
  // larger than an HTTP request may be. Larger ones close the socket with 1009.
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: graphqlPath,
    maxPayload: limits.maxRequestBytes,
  });
  const server = serveProtocol<Record<string, unknown> | undefined, SocketExtra>(
    wsServer,
    {
      onConnect: async (ctx) => {
        // randomUUID() builds the id by concatenation: a rope of some 450 bytes, kept as long as
        // the socket lives. normalize() returns it as one flat string of 56.
        ctx.extra.connectionId = randomUUID().normalize();
        try {
          ctx.extra.viewer = await options.tokens.viewerFrom(
            authorizationFromConnectionParams(ctx.connectionParams),
          );
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          const code = String(error.extensions.code);
          // Unreachable signing keys are the server's trouble: 1013 tells the client to retry.
          ctx.extra.socket.close(
            code === 'UNAUTHENTICATED' ? CloseCode.Forbidden : 1013,
            // A close reason is at most 123 bytes; the messages are ASCII.
            `${code}: ${error.message}`.slice(0, 123),
          );
          return false;
        }
        // graphql-ws would keep the socket open past the token's expiry, private events included.
        // An anonymous socket has no expiry, and so no timer or closure to keep.
        const expiresAt = ctx.extra.viewer?.expiresAt;
        if (expiresAt !== undefined) {
          ctx.extra.cancelExpiry = onTokenExpiry(expiresAt, () =>
            ctx.extra.socket.close(CloseCode.Forbidden, 'UNAUTHENTICATED: token expired'),
          );
        }
        return true;
      },
      onClose: (ctx) => {
        ctx.extra.cancelExpiry?.();
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: (ctx, id, params) =>
        withLogContext({ connectionId: ctx.extra.connectionId, operationId: id }, async () => {
          // graphql-ws holds an entry for each operation from the moment it arrives (this one
          // included) until it ends, so operations arriving together all count.
          if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
            return [
              limitExceeded(
                'operations at once on one connection',
                limits.maxSubscriptionsPerConnection,
              ),
            ];
          }
          const refuse = (errors: readonly GraphQLError[]) =>
            errors.map((error) => classifyError(error, error.message) as GraphQLError);
          const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped(
            // Only what the context and the plugins read: a copy of graphql-ws's whole context
            // would be kept, as a large object, for as long as the operation runs.
            {
              clientAddress: ctx.extra.clientAddress,
              socket: ctx.extra.socket,
              params,
              viewer: ctx.extra.viewer ?? null,
              sendSharedResult: new NextMessageSender(ctx.extra.socket, id),
            },
          );
          // A query that does not parse fails that operation only; thrown, it would close the socket.
          let document;
          try {
            document = parse(params.query);
          } catch (error) {
            return refuse([
              error instanceof GraphQLError ? error : new GraphQLError('Invalid query.'),
            ]);
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
          return errors.length ? refuse(errors) : args;
        }),
      // A shared result goes out as it is, so the replacer below can recognise it.
      onNext: (_ctx, _id, _params, _args, result) => (sharedJson.has(result) ? result : undefined),
      jsonMessageReplacer: spliceSharedPayload.replacer,
    },
    {
      keepAliveMs: options.config.realtime.keepAliveMs,
      // graphql-ws's default.
      connectionInitWaitMs: 3000,
      // The upgrade request is needed for its address only, and would otherwise stay in memory,
      // headers and all, for as long as the socket is open (about 1.3 KB each).
      extraFor: (socket, request) => ({
        socket,
        clientAddress: clientAddressOf(request, trustProxyHops),
      }),
      outgoing: spliceSharedPayload.into,
    },
  );
  return {
    /**
     * Closes every socket with 1001 "Going away", which clients answer by reconnecting. Sockets
     * whose client does not complete the closing handshake in time are cut.
     */
    async close(deadlineMs: number) {
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

/**
 * Bytes a socket may have waiting to be written before its shared results go through graphql-ws
 * again, which waits for each write: a client that stops reading then fills its stream's bounded
 * queue and is ended as too slow, instead of growing this process's memory.
 */
const directSendBufferLimit = 64 * 1024;

/**
 * Sends `next` messages of operation `id` whose payload is JSON text made once for all who share
 * it, as graphql-ws would send them (realtime/sharedResults.ts explains why it is bypassed).
 * `send` returns false, sending nothing, when the socket is behind. One per operation, for as
 * long as it runs: an object rather than closures, so an idle operation keeps a few fields.
 */
class NextMessageSender implements SharedResultSender {
  private readonly socket: WebSocket;
  private readonly head: string;

  constructor(socket: WebSocket, id: string) {
    this.socket = socket;
    this.head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  send(json: string): boolean {
    if (this.socket.bufferedAmount > directSendBufferLimit) return false;
    this.socket.send(`${this.head}${json}}`);
    return true;
  }

  // ws offers no cork of its own; its sender corks the TCP socket around each frame, and corks
  // nest, so frames sent between these calls leave in one write.
  cork(): void {
    this.tcp()?.cork();
  }

  uncork(): void {
    this.tcp()?.uncork();
  }

  private tcp() {
    return (this.socket as unknown as { _socket?: Duplex })._socket;
  }
}

/**
 * graphql-ws serialises each `next` message whole, for every subscriber, though a change's
 * result is shared by all who sent the same subscription (realtime/sharedResults.ts). The
 * profile of 1,000 subscribers showed that serialisation among the top costs, so a shared
 * payload is left out by the message replacer and its JSON, made once, is spliced in as the
 * message is sent. graphql-ws stringifies a message and hands it to `send` in one synchronous
 * step, so the payload set aside is always the one of the message being sent. A string payload
 * cannot come from graphql-ws itself (it validates that a `next` payload is an object before
 * serialising), so the placeholder is unambiguous.
 */
const spliceSharedPayload = (() => {
  const placeholder = '\u0000shared';
  const tail = `"payload":${JSON.stringify(placeholder)}}`;
  let setAside = '';
  return {
    replacer(key: string, value: unknown) {
      if (key !== 'payload') return value;
      const json = sharedJson.get(value);
      if (json === undefined) return value;
      setAside = json;
      return placeholder;
    },
    into(message: string): string {
      if (!message.endsWith(tail)) return message;
      const spliced = `${message.slice(0, -tail.length)}"payload":${setAside}}`;
      setAside = '';
      return spliced;
    },
  };
})();
