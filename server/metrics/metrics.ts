import type pg from 'pg';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import { logger } from '../logger.ts';
import type { ChangeFeed } from '../realtime/changeFeed.ts';
import type { Entity } from '../realtime/changeLog.ts';
import type { ChangeFeedEvents, SubscriberEndReason } from '../realtime/feedEvents.ts';
import { type ChangeLogLag, changeLogLag } from './changeLogLag.ts';
import { WeightedHistogram } from './weightedHistogram.ts';
import { type Transport, useOperationMetrics } from './operations.ts';

/** The subscription field whose changes an entity's subscribers receive. */
const fieldOf: Record<Entity, string> = { book: 'bookChanged', booking: 'bookingChanged' };

const transports: Transport[] = ['ws', 'sse', 'sse_single'];
const endReasons: SubscriberEndReason[] = [
  'SLOW_CONSUMER',
  'CURSOR_EXPIRED',
  'UNAUTHENTICATED',
  'BAD_USER_INPUT',
  'CLIENT_LEFT',
  'SERVER_SHUTDOWN',
];

/** Commit-to-send latency buckets, in seconds: from a fast live delivery to a stalled feed. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ShelfwireMetrics {
  /** This instance's metrics, and no other's: tests run several servers in one process. */
  registry: Registry;
  /** Counts GraphQL operations and open subscriptions; goes into Yoga's plugin list. */
  plugin: Plugin;
  /** The metrics in the Prometheus text format, with the scrape-time values read now. */
  scrape(): Promise<string>;
  /** Stops observing the change feed. */
  dispose(): void;
}

/**
 * The metrics of one API instance. The change feed's own events drive the realtime counters,
 * the pool and the change-log lag are read when scraped, operations are counted by `plugin`.
 */
export function createMetrics(options: { pool: pg.Pool; changes: ChangeFeed }): ShelfwireMetrics {
  const { pool, changes } = options;
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const subscribers = new Gauge({
    name: 'shelfwire_subscribers',
    help: 'Subscriptions open on this instance, by transport and subscription field.',
    labelNames: ['transport', 'field'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'shelfwire_deliveries_total',
    help: 'Changes handed to a subscriber to send, live or replayed from the change log.',
    labelNames: ['field', 'source'] as const,
    registers,
  });
  const latency = new WeightedHistogram(
    'shelfwire_delivery_latency_seconds',
    'From writing a change to the log to handing it to a live subscriber to send.',
    'field',
    latencyBuckets,
    registry,
  );
  const ended = new Counter({
    name: 'shelfwire_subscriptions_ended_total',
    help: 'Subscriptions ended (or refused at resume), by field and reason.',
    labelNames: ['field', 'reason'] as const,
    registers,
  });
  const logReads = new Counter({
    name: 'shelfwire_change_log_reads_total',
    help: 'Reads of the change log: `live` for the feed, `replay` for subscribers catching up (shared by those at one position), `head` for its newest position or horizon (shared by subscribers starting or resuming).',
    labelNames: ['purpose'] as const,
    registers,
  });
  for (const purpose of ['live', 'replay', 'head']) logReads.inc({ purpose }, 0);
  new Gauge({
    name: 'shelfwire_delivery_held_seconds',
    help: 'How long committed changes have waited behind an open transaction of this database (0 when none).',
    registers,
    collect() {
      this.set(changes.held.heldForSeconds);
    },
  });
  new Gauge({
    name: 'shelfwire_delivery_holder_pid',
    help: 'Backend pid of the open transaction holding delivery back, once reported (0 when none).',
    registers,
    collect() {
      this.set(changes.held.holdingBackend?.pid ?? 0);
    },
  });
  const reconnects = new Counter({
    name: 'shelfwire_listener_reconnects_total',
    help: 'Times the LISTEN connection was lost and listening again.',
    registers,
  });
  new Gauge({
    name: 'shelfwire_listener_up',
    help: '1 while the LISTEN connection is up, else 0 (changes then reach no one here).',
    registers,
    collect() {
      this.set(changes.ready ? 1 : 0);
    },
  });

  // Read before the lag query below takes a connection (collected in this order), so a scrape
  // does not count itself.
  const poolGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  poolGauge(
    'shelfwire_db_pool_connections_in_use',
    'Pool connections checked out by a query or transaction.',
    () => pool.totalCount - pool.idleCount,
  );
  poolGauge(
    'shelfwire_db_pool_connections_idle',
    'Pool connections open and idle.',
    () => pool.idleCount,
  );
  poolGauge(
    'shelfwire_db_pool_connections_max',
    'The pool size (DB_POOL_SIZE).',
    () => pool.options.max ?? 10,
  );
  poolGauge(
    'shelfwire_db_pool_waiting_clients',
    'Queries waiting for a free pool connection.',
    () => pool.waitingCount,
  );

  // Both lag gauges are collected in the same scrape: one query serves them.
  let lagReading: Promise<ChangeLogLag | null> | null = null;
  const readLag = () =>
    (lagReading ??= changeLogLag(pool, changes.position)
      .catch((error: unknown) => {
        logger.warn('reading the change-log lag for /metrics failed', { error });
        return null;
      })
      .finally(() => {
        lagReading = null;
      }));
  new Gauge({
    name: 'shelfwire_change_log_lag_changes',
    help: 'Committed changes this instance has not read yet.',
    registers,
    async collect() {
      const lag = await readLag();
      if (lag) this.set(lag.changes);
    },
  });
  new Gauge({
    name: 'shelfwire_change_log_lag_seconds',
    help: 'Age of the oldest committed change this instance has not read yet (0 when none).',
    registers,
    async collect() {
      const lag = await readLag();
      if (lag) this.set(lag.seconds);
    },
  });

  const operations = new Counter({
    name: 'shelfwire_graphql_operations_total',
    help: 'GraphQL operations by name (capped), type and outcome (ok or the error code).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers,
  });

  // Every series a dashboard or alert asks for exists from the start, at 0, so rates and
  // absent-series checks work before the first subscription.
  for (const field of Object.values(fieldOf)) {
    for (const transport of transports) subscribers.set({ transport, field }, 0);
    for (const source of ['live', 'replay']) deliveries.inc({ field, source }, 0);
    for (const reason of endReasons) ended.inc({ field, reason }, 0);
  }

  const onDelivered = ({ event, replayed, count }: ChangeFeedEvents['delivered'][0]) => {
    const field = fieldOf[event.entity];
    deliveries.inc({ field, source: replayed ? 'replay' : 'live' }, count);
    // A replayed change is as old as the client's absence: it says nothing about the feed.
    if (replayed) return;
    const seconds = Math.max(0, Date.now() - event.at.getTime()) / 1000;
    latency.observe(field, seconds, count);
  };
  const onEnded = ({ entity, reason }: ChangeFeedEvents['subscriberEnded'][0]) =>
    ended.inc({ field: fieldOf[entity], reason });
  const onReconnected = () => reconnects.inc();
  const onLogRead = ({ purpose }: ChangeFeedEvents['logRead'][0]) => logReads.inc({ purpose });
  changes.events.on('delivered', onDelivered);
  changes.events.on('subscriberEnded', onEnded);
  changes.events.on('listenerReconnected', onReconnected);
  changes.events.on('logRead', onLogRead);

  return {
    registry,
    plugin: useOperationMetrics({ operations, subscribers }),
    scrape: () => registry.metrics(),
    dispose() {
      changes.events.off('delivered', onDelivered);
      changes.events.off('subscriberEnded', onEnded);
      changes.events.off('listenerReconnected', onReconnected);
      changes.events.off('logRead', onLogRead);
    },
  };
}
