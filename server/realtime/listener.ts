import pg from 'pg';
import { logger } from '../logger.ts';

/** The channel the change-log triggers notify on. */
export const changesChannel = 'shelfwire_changes';
/** How the LISTEN connection shows in pg_stat_activity, for operators and tests. */
export const listenerApplicationName = 'shelfwire-listener';

export interface ListenerOptions {
  connectionString: string;
  /** Called for each notification, and after every (re)connect, since a gap may lie behind it. */
  onSignal: () => void;
  /** Called when a lost connection is listening again (after `onSignal` has been called). */
  onReconnected?: () => void;
  /** How often the connection is checked; a dead one is noticed within this much time. */
  healthCheckMs?: number;
  /** Longest wait between reconnection attempts. */
  maxBackoffMs?: number;
}

/**
 * One dedicated connection LISTENing for change notifications, kept alive for the process's life.
 * Postgres drops notifications for a session that is not connected, so each (re)connection is
 * reported through `onSignal` and the caller reads what it missed from the change log.
 */
export class ChangeListener {
  private client: pg.Client | null = null;
  private closed = false;
  private attempt = 0;
  private connected = false;
  private healthTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly options: Required<ListenerOptions>;

  constructor(options: ListenerOptions) {
    this.options = {
      healthCheckMs: 2000,
      maxBackoffMs: 5000,
      onReconnected: () => undefined,
      ...options,
    };
  }

  /** Whether the LISTEN connection is up: while it is not, changes reach no one here. */
  get listening(): boolean {
    return this.connected;
  }

  /** Connects and LISTENs; resolves once listening (retrying in the background if that fails). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: listenerApplicationName,
      keepAlive: true,
      // A connect or query that hangs (a partitioned network) counts as a lost connection.
      connectionTimeoutMillis: 5000,
      query_timeout: 5000,
    });
    this.client = client;
    // pg emits `error` then `end` when the backend goes away; without a listener it would crash us.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', () => this.options.onSignal());
    try {
      await client.connect();
      await client.query(`LISTEN ${changesChannel}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.closed || this.client !== client) {
      await client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.attempt > 0;
    if (reconnected) logger.info('change listener reconnected', { attempts: this.attempt });
    this.attempt = 0;
    this.connected = true;
    this.scheduleHealthCheck();
    this.options.onSignal();
    if (reconnected) this.options.onReconnected();
  }

  /** A round trip on the connection, so a silently dead one is noticed within seconds. */
  private scheduleHealthCheck() {
    clearTimeout(this.healthTimer);
    this.healthTimer = setTimeout(async () => {
      const client = this.client;
      if (!client) return;
      const timeout = setTimeout(
        () => this.lost(client, new Error('health check timed out')),
        this.options.healthCheckMs,
      );
      try {
        await client.query('SELECT 1');
        this.scheduleHealthCheck();
      } catch (error) {
        this.lost(client, error);
      } finally {
        clearTimeout(timeout);
      }
    }, this.options.healthCheckMs);
  }

  private lost(client: pg.Client, error: unknown) {
    // Only the current connection counts: `error` and `end` both arrive for one loss.
    if (this.closed || client !== this.client) return;
    this.client = null;
    this.connected = false;
    clearTimeout(this.healthTimer);
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    const delay =
      Math.min(this.options.maxBackoffMs, 100 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    logger.warn('change listener lost its connection; reconnecting', {
      error,
      attempt: this.attempt,
      delayMs: Math.round(delay),
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  /** Stops listening and releases the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.connected = false;
    clearTimeout(this.healthTimer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
