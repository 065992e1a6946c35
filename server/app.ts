import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { createTokenVerifier } from './auth/tokenVerifier.ts';
import { type Config, defaultConfig } from './config.ts';
import { createPool, endPool } from './db/pool.ts';
import { shelfwireRequestHandler } from './http/requestHandler.ts';
import { logger } from './logger.ts';
import { metricsEndpoint } from './metrics/endpoint.ts';
import { createMetrics } from './metrics/metrics.ts';
import { startAvailabilityClock } from './realtime/availabilityClock.ts';
import { ChangeFeed } from './realtime/changeFeed.ts';
import { scheduleRetention } from './realtime/retention.ts';
import { trackEventStreams } from './transports/eventStreams.ts';
import { serveGraphqlWs } from './transports/ws.ts';
import { createRefusalLog } from './refusalLog.ts';
import { createTracing } from './tracing.ts';
import { createShelfwireYoga, graphqlPath } from './yoga.ts';

export interface ServerOptions {
  databaseUrl: string;
  jwtSecret: string;
  port: number;
  host?: string;
  /** Every other setting; the defaults when left out. */
  config?: Config;
  /** The built web page served at `/`, as `npm start` serves it; client/web/dist by default. */
  webPageDir?: string;
}

export interface ShelfwireServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  port: number;
  changes: ChangeFeed;
  /** This instance's database pool. */
  pool: pg.Pool;
  /** Stops taking connections, closes subscriptions so clients reconnect elsewhere, releases Postgres. */
  close(): Promise<void>;
}

/** Starts one API instance on an already migrated database. */
export async function startServer(options: ServerOptions): Promise<ShelfwireServer> {
  const config = options.config ?? defaultConfig();
  const pool = createPool(options.databaseUrl, config.database);
  const retentionPeriod = config.changeLogRetention;
  await pool.query('SELECT $1::interval', [retentionPeriod]).catch(async () => {
    await endPool(pool);
    throw new Error(`CHANGE_LOG_RETENTION is not a Postgres interval: "${retentionPeriod}".`);
  });
  const changes = new ChangeFeed({
    pool,
    connectionString: options.databaseUrl,
    subscriberBufferSize: config.subscriberBufferSize,
    tuning: config.realtime,
  });
  await changes.start();
  const retention = scheduleRetention(pool, retentionPeriod, config.realtime.pruneIntervalMs);
  const availabilityClock = startAvailabilityClock(pool, config.realtime.availabilityClockMs);
  const tokens = createTokenVerifier({ secret: options.jwtSecret, ...config.tokens });
  const refusalLog = createRefusalLog();
  const metrics = createMetrics({ pool, changes });
  const tracing = createTracing(config.tracing.endpoint, config.tracing.serviceName);
  const yoga = createShelfwireYoga({
    pool,
    changes,
    tokens,
    config,
    refusalLog,
    metrics,
    extraPlugins: tracing.plugins,
  });
  const eventStreams = trackEventStreams();
  const httpServer = createServer(
    shelfwireRequestHandler({
      yoga,
      eventStreams,
      jwtSecret: options.jwtSecret,
      webPageDir: options.webPageDir,
      maxRequestBytes: config.limits.maxRequestBytes,
      metrics: metricsEndpoint(metrics, config.metricsToken),
    }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      // Thousands of clients reconnect at once after a deploy or a proxy reload; Node's default
      // queue of 511 unaccepted connections overflows then (the kernel caps it at somaxconn).
      httpServer.listen({ port: options.port, host: options.host, backlog: 8192 }, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    retention.stop();
    await availabilityClock.stop();
    await changes.close();
    metrics.dispose();
    await tracing.shutdown();
    await endPool(pool);
    throw error;
  }
  // Attached once the port is ours: the WebSocket server re-emits the HTTP server's errors, and
  // graphql-ws would log a taken port as its own internal error, with a stack trace.
  const ws = serveGraphqlWs(httpServer, yoga, { tokens, config });
  const { port } = httpServer.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : 'localhost';

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}${graphqlPath}`,
    port,
    changes,
    pool,
    close: () =>
      (closing ??= (async () => {
        // Stop accepting; ordinary requests in flight may finish (a mutation's client learns
        // whether it committed). Subscriptions end at once so their clients reconnect elsewhere.
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        eventStreams.cutAll();
        await ws.close(config.shutdown.closeMs);
        const cutRest = setTimeout(() => httpServer.closeAllConnections(), config.shutdown.drainMs);
        await stopped;
        clearTimeout(cutRest);
        retention.stop();
        await availabilityClock.stop();
        await changes.close();
        metrics.dispose();
        await tracing.shutdown();
        await endPool(pool);
        logger.info('server stopped');
      })()),
  };
}
