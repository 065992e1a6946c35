// Timers that serve every socket of a server at once: a timer per socket, with its closure, is
// kept for as long as the socket lives, and 10,000 idle sockets keep 10,000 of them.
import { CloseCode } from 'graphql-ws';
import { WebSocket } from 'ws';

/** The keep-alive tick of each socket's last ping, kept after it is answered. */
const lastPingTicks = new WeakMap<WebSocket, number>();
/** Sockets whose last ping has had no pong yet. */
const unanswered = new WeakSet<WebSocket>();

function markAnswered(this: WebSocket): void {
  unanswered.delete(this);
}

/** Each round of pings, one interval long, is cut into this many ticks. */
const ticksPerRound = 16;

/**
 * Pings every socket about once per `intervalMs`, and cuts one that has left a ping unanswered
 * for that long: ws's heartbeat, with one timer for all. Each tick takes the next slice of the
 * sockets, so 10,000 pings do not all leave in one turn of the event loop. An interval that is
 * not a positive finite number turns the pings off, as in graphql-ws.
 */
export class KeepAlive {
  private readonly sockets: Set<WebSocket>;
  private readonly timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  /** The sockets this round has yet to check, and how many each tick takes. */
  private round: Iterator<WebSocket> | undefined;
  private slice = 0;

  constructor(sockets: Set<WebSocket>, intervalMs: number) {
    this.sockets = sockets;
    if (!(intervalMs > 0 && Number.isFinite(intervalMs))) return;
    this.timer = setInterval(() => this.tick(), intervalMs / ticksPerRound);
    this.timer.unref();
  }

  /** Has `socket`'s pongs answer the pings. */
  watch(socket: WebSocket): void {
    socket.on('pong', markAnswered);
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
    // A socket that came during a round, or moved forward as sockets ahead of it closed, may be
    // visited again less than an interval after its ping: that ping gets its whole interval.
    const pingedAt = lastPingTicks.get(socket);
    if (pingedAt !== undefined && this.ticks - pingedAt < ticksPerRound) return;
    if (unanswered.has(socket)) {
      socket.terminate();
      return;
    }
    lastPingTicks.set(socket, this.ticks);
    unanswered.add(socket);
    socket.ping();
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
