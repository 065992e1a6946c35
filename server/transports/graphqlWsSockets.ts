import type { IncomingMessage } from 'node:http';
import {
  CloseCode,
  type ConnectionInitMessage,
  handleProtocols,
  makeServer,
  type WebSocket as ProtocolSocket,
  type ServerOptions,
} from 'graphql-ws';
import { type RawData, WebSocket, type WebSocketServer } from 'ws';
import { logger } from '../logger.ts';
import { InitDeadlines, KeepAlive } from './socketTimers.ts';

/**
 * graphql-ws's protocol server (`makeServer`) on the sockets of a `ws` server, in place of
 * graphql-ws's own binding (`useServer` from graphql-ws/use/ws), which graphql-ws documents as
 * the part to write for another socket library. A heap snapshot of 2,000 idle subscribers showed
 * that binding keeping about 1.5 KB per socket: a ping interval and a pong timeout of its own,
 * with their closures; a `once` wrapper per listener, and the listener table it turns into a
 * dictionary when one is removed; an async message handler suspended for as long as a
 * subscription lives; and makeServer's own timer for each socket's connection_init, kept after it
 * is cleared. Here each socket is one small object, and one timer of each kind serves them all.
 */
export function serveProtocol<
  Params extends ConnectionInitMessage['payload'],
  Extra extends { socket: WebSocket },
>(
  wsServer: WebSocketServer,
  serverOptions: ServerOptions<Params, Extra>,
  options: {
    /** Every socket is pinged this often, and cut when it has not answered the last ping. */
    keepAliveMs: number;
    /** A socket that has not sent connection_init this long after opening is closed (4408). */
    connectionInitWaitMs: number;
    /** The context's `extra` for a new socket; the request is not kept unless it is put there. */
    extraFor: (socket: WebSocket, request: IncomingMessage) => Extra;
    /** Rewrites each message graphql-ws sends, as it is sent. */
    outgoing: (message: string) => string;
  },
) {
  // Clients that offer several subprotocols get graphql-ws's, as with useServer.
  wsServer.options.handleProtocols ??= handleProtocols;
  const keepAlive = new KeepAlive(wsServer.clients, options.keepAliveMs);
  const initDeadlines = new InitDeadlines(options.connectionInitWaitMs);
  const protocol = makeServer<Params, Extra>({
    ...serverOptions,
    // Replaced by initDeadlines, which is told here when connection_init arrives.
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      initDeadlines.met(ctx.extra.socket);
      return serverOptions.onConnect?.(ctx);
    },
  });
  // The ws server passes on the HTTP server's errors (an accept failing for want of file
  // descriptors, say); unheard, an 'error' event would end the process.
  wsServer.on('error', (error) => logger.error('the WebSocket server failed', { error }));
  wsServer.on('connection', (socket, request) => {
    socket.on('error', logSocketError);
    keepAlive.watch(socket);
    let extra: Extra;
    try {
      extra = options.extraFor(socket, request);
    } catch (error) {
      // Thrown here, inside the HTTP server's upgrade event, it would end the process.
      logger.error('a WebSocket could not be set up', { error });
      socket.close(CloseCode.InternalServerError, 'Internal server error');
      return;
    }
    initDeadlines.add(socket);
    const protocolSocket = new ProtocolSocketOnWs(socket, options.outgoing);
    protocolSockets.set(socket, protocolSocket);
    protocolSocket.closed = protocol.opened(protocolSocket, extra);
    socket.on('close', socketClosed);
  });
  // One listener for every socket (`this`), rather than a closure each; here, as it tells this
  // server's deadlines.
  function socketClosed(this: WebSocket, code: number, reason: Buffer) {
    initDeadlines.met(this);
    protocolSockets
      .get(this)
      ?.closed?.(code, String(reason))
      .catch((error: unknown) => logger.error('closing a WebSocket failed', { error }));
  }
  return {
    /** Closes every socket with 1001 "Going away"; resolves once the ws server has closed. */
    async dispose() {
      keepAlive.stop();
      initDeadlines.stop();
      for (const socket of wsServer.clients) socket.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) =>
        wsServer.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Each socket's side that graphql-ws sees, for the listeners that all sockets share. */
const protocolSockets = new WeakMap<WebSocket, ProtocolSocketOnWs>();

/** One socket as graphql-ws's server uses it. */
class ProtocolSocketOnWs implements ProtocolSocket {
  private readonly socket: WebSocket;
  private readonly outgoing: (message: string) => string;
  /** graphql-ws's handler of this socket's messages, once it has given one. */
  private handle: ((data: string) => Promise<void>) | null = null;
  /** What graphql-ws returned for when the socket closes. */
  closed: ((code: number, reason: string) => Promise<void>) | null = null;

  constructor(socket: WebSocket, outgoing: (message: string) => string) {
    this.socket = socket;
    this.outgoing = outgoing;
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  /** Settles once the frame is written: that is how graphql-ws waits for a slow reader. */
  send(data: string): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.socket.send(this.outgoing(data), (error) => (error ? reject(error) : resolve())),
    );
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.handle = handle;
    this.socket.on('message', socketMessage);
  }

  handleMessage(data: RawData): void {
    if (!this.handle) return;
    this.handle(String(data)).catch((error: unknown) => {
      // A hook of ours that failed, or a message type a client may not send (graphql-ws
      // throws for both): a warning, since a client can cause it.
      logger.warn('a WebSocket message failed', { error });
      this.socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
  }
}

function socketMessage(this: WebSocket, data: RawData): void {
  protocolSockets.get(this)?.handleMessage(data);
}

// A frame over maxPayload or a broken one: ws has already closed the socket (1009, 1002).
function logSocketError(error: Error): void {
  logger.debug('WebSocket closed on a bad frame', { error });
}
