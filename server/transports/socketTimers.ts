// Timers that serve every socket of a server at once: a timer per socket, with its closure, is
// kept for as long as the socket lives, and 10,000 idle sockets keep 10,000 of them.
import { CloseCode } from 'graphql-ws';
import { WebSocket } from 'ws';

/** Sockets pinged and not yet answered, with the keep-alive tick of the ping. */
const unansweredPings = new WeakMap<WebSocket, number>();

/** Has `socket`'s pongs answer the keep-alive's pings. */
export function watchPongs(socket: WebSocket): void {
  socket.on('pong', markAnswered);
}

function markAnswered(this: WebSocket): void {
  unansweredPings.delete(this);
}

/** Each round of pings, one interval long, is cut into this many ticks. */
const ticksPerRound = 16;

/**
 * Pings every socket about once per `intervalMs`, and cuts one that has left a ping unanswered
 * for that long: ws's heartbeat, with one timer for all. Each tick takes the next slice of the
 * sockets, so 10,000 pings do not all leave in one turn of the event loop.
 */
export class KeepAlive {
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

/**
 * Closes sockets that have not sent connection_init within `waitMs` of opening (4408), as
 * graphql-ws's own timer per socket would. Every socket waits as long, so they are queued in the
 * order they opened, and one timer is set for the first.
 */
export class InitDeadlines {
  private readonly waitMs: number;
  /** Sockets still waiting, with their deadline: a map keeps them in the order they came. */
  private readonly waiting = new Map<WebSocket, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(waitMs: number) {
    this.waitMs = waitMs;
  }

  add(socket: WebSocket): void {
    this.waiting.set(socket, performance.now() + this.waitMs);
    if (!this.timer) this.arm();
  }

  /** `socket` sent connection_init, or closed. */
  met(socket: WebSocket): void {
    this.waiting.delete(socket);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.waiting.clear();
  }

  private arm(): void {
    this.timer = undefined;
    const first = this.waiting.values().next();
    if (first.done) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, first.value - performance.now()));
    this.timer.unref();
  }

  private expire(): void {
    const now = performance.now();
    for (const [socket, deadline] of this.waiting) {
      if (deadline > now) break;
      this.waiting.delete(socket);
      socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }
    this.arm();
  }
}
