import type { IncomingMessage } from 'node:http';
import { CloseCode, type Server, type WebSocket as ProtocolSocket } from 'graphql-ws';
import { type RawData, WebSocket, type WebSocketServer } from 'ws';
import { logger } from '../logger.ts';

/**
 * graphql-ws's protocol server (`makeServer`) on the sockets of a `ws` server, in place of
 * graphql-ws's own binding (`useServer` from graphql-ws/use/ws), which graphql-ws documents as
 * the part to write for another socket library. A heap snapshot of 2,000 idle subscribers showed
 * that binding keeping about 1.5 KB per socket: a ping interval and a pong timeout of its own,
 * with their closures; a `once` wrapper per listener, and the listener table it turns into a
 * dictionary when one is removed; an async message handler suspended for as long as a
 * subscription lives. Here each socket is one small object, and one timer pings them all.
 */
export function serveProtocol<Extra>(
  wsServer: WebSocketServer,
  protocol: Server<Extra>,
  options: {
    /** Every socket is pinged this often, and cut when it has not answered the last ping. */
    keepAliveMs: number;
    /** The context's `extra` for a new socket; the request is not kept unless it is put there. */
    extraFor: (socket: WebSocket, request: IncomingMessage) => Extra;
    /** Rewrites each message graphql-ws sends, as it is sent. */
    outgoing: (message: string) => string;
  },
) {
  const keepAlive = new KeepAlive(wsServer.clients, options.keepAliveMs);
  wsServer.on('connection', (socket, request) => {
    socket.on('error', logSocketError);
    socket.on('pong', markAnswered);
    const closed = protocol.opened(
      new ProtocolSocketOnWs(socket, options.outgoing),
      options.extraFor(socket, request),
    );
    socket.on('close', (code, reason) => {
      closed(code, String(reason)).catch((error: unknown) =>
        logger.error('closing a WebSocket failed', { error }),
      );
    });
  });
  return {
    /** Closes every socket with 1001 "Going away"; resolves once the ws server has closed. */
    async dispose() {
      keepAlive.stop();
      for (const socket of wsServer.clients) socket.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) =>
        wsServer.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** One socket as graphql-ws's server uses it. */
class ProtocolSocketOnWs implements ProtocolSocket {
  private readonly socket: WebSocket;
  private readonly outgoing: (message: string) => string;

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
    this.socket.on('message', (data: RawData) => {
      handle(String(data)).catch((error: unknown) => {
        // A message graphql-ws could not handle is the server's fault, not the client's.
        logger.error('a WebSocket message failed', { error });
        this.socket.close(CloseCode.InternalServerError, 'Internal server error');
      });
    });
  }
}

/** Sockets pinged and not yet answered, with the keep-alive tick of the ping. */
const unansweredPings = new WeakMap<WebSocket, number>();

function markAnswered(this: WebSocket): void {
  unansweredPings.delete(this);
}

// A frame over maxPayload or a broken one: ws has already closed the socket (1009, 1002).
function logSocketError(error: Error): void {
  logger.debug('WebSocket closed on a bad frame', { error });
}

/** Each round of pings, one interval long, is cut into this many ticks. */
const ticksPerRound = 16;

/**
 * Pings every socket about once per `intervalMs`, and cuts one that has left a ping unanswered
 * for that long: ws's heartbeat, with one timer for all. Each tick takes the next slice of the
 * sockets, so 10,000 pings do not all leave in one turn of the event loop.
 */
class KeepAlive {
  private readonly sockets: Set<WebSocket>;
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  /** The sockets this round has yet to check, and how many each tick takes. */
  private round: Iterator<WebSocket> | undefined;
  private slice = 0;

  constructor(sockets: Set<WebSocket>, intervalMs: number) {
    this.sockets = sockets;
    this.timer = setInterval(() => this.tick(), intervalMs / ticksPerRound);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const tickOfRound = this.ticks % ticksPerRound;
    if (tickOfRound === 0) {
      this.round = this.sockets.values();
      this.slice = Math.ceil(this.sockets.size / ticksPerRound);
    }
    this.ticks++;
    // The round's last tick takes whoever is left, sockets that came during the round included
    // (a set's iterator visits them, and skips those deleted).
    const lastTick = tickOfRound === ticksPerRound - 1;
    for (let n = 0; lastTick || n < this.slice; n++) {
      const next = this.round?.next();
      if (!next || next.done) {
        this.round = undefined;
        return;
      }
      this.check(next.value);
    }
  }

  private check(socket: WebSocket): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    const pingedAt = unansweredPings.get(socket);
    if (pingedAt === undefined) {
      unansweredPings.set(socket, this.ticks);
      socket.ping();
    } else if (this.ticks - pingedAt >= ticksPerRound) {
      // Sockets closing ahead of this one move it forward in the round; a ping that has not
      // had its whole interval yet waits for the next round.
      socket.terminate();
    }
  }
}
