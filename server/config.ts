import { z } from 'zod';

/**
 * Every setting of the server, read from the environment once and validated here. Each entry
 * names its variable, its default and what it means; the README's configuration table is
 * checked against this list by a test.
 */
const whole = (min: number, fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((text) => text === 'true' || text === '1')
    .optional()
    .transform((value) => value ?? fallback);
const optionalText = z
  .string()
  .optional()
  .transform((text) => text || undefined);
const list = z
  .string()
  .optional()
  .transform((text) =>
    (text ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const envSchema = (production: boolean) =>
  z.object({
    PORT: whole(0, 4000, 65535),
    DATABASE_URL: optionalText,
    JWT_SECRET: optionalText,
    JWT_ISSUER: optionalText,
    JWT_AUDIENCE: optionalText,
    JWT_JWKS_URL: z.url({ error: 'must be a URL' }).optional().or(z.literal('').optional()),
    JWT_MAX_LIFETIME_SECONDS: whole(60, 7 * 24 * 3600),
    JWT_CLOCK_SKEW_SECONDS: whole(0, 30, 600),
    CHANGE_LOG_RETENTION: z.string().default('7 days'),
    SUBSCRIBER_BUFFER_SIZE: whole(1, 1000),
    GRAPHQL_INTROSPECTION: flag(!production),
    GRAPHIQL: flag(!production),
    CORS_ORIGINS: list,
    TRUST_PROXY_HOPS: whole(0, 0, 10),
    DB_POOL_SIZE: whole(1, 10, 1000),
    DB_POOL_ACQUIRE_TIMEOUT_MS: whole(1, 3000),
    DB_STATEMENT_TIMEOUT_MS: whole(1, 5000),
    DB_LOCK_TIMEOUT_MS: whole(1, 2000),
    READY_PROBE_TIMEOUT_MS: whole(1, 1000),
    REQUEST_TIMEOUT_MS: whole(1, 10_000),
    MAX_REQUEST_BYTES: whole(1024, 100_000),
    MAX_QUERY_TOKENS: whole(10, 2000),
    MAX_QUERY_DEPTH: whole(2, 12),
    MAX_QUERY_ALIASES: whole(1, 30),
    MAX_QUERY_DIRECTIVES: whole(1, 20),
    MAX_QUERY_COST: whole(1, 5000),
    MAX_SUBSCRIPTIONS_PER_CONNECTION: whole(1, 100),
    MAX_SUBSCRIPTIONS_PER_VIEWER: whole(1, 500),
    SSE_RESERVATIONS_PER_VIEWER: whole(1, 10),
    SSE_RESERVATION_CONNECT_MS: whole(100, 5000),
    RATE_MUTATIONS_PER_MINUTE: whole(1, 120),
    RATE_QUERIES_PER_MINUTE: whole(1, 1200),
    RATE_SUBSCRIPTIONS_PER_MINUTE: whole(1, 300),
    MAX_ACTIVE_BOOKINGS_PER_USER: whole(1, 20),
    BOOKING_START_GRACE_SECONDS: whole(0, 300),
    BOOKING_HORIZON_DAYS: whole(1, 365, 3650),
    METRICS_TOKEN: optionalText,
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ error: 'must be a URL' })
      .optional()
      .or(z.literal('').optional()),
    OTEL_SERVICE_NAME: z.string().default('shelfwire'),
    CHANGE_FEED_POLL_MS: whole(50, 2000),
    DELIVERY_HELD_REPORT_MS: whole(100, 5000),
    CHANGE_FEED_PAGE_SIZE: whole(1, 500, 100_000),
    REPLAY_PAGE_SIZE: whole(1, 200, 100_000),
    LISTEN_HEALTH_CHECK_MS: whole(50, 2000),
    LISTEN_MAX_BACKOFF_MS: whole(100, 5000),
    CHANGE_LOG_PRUNE_INTERVAL_MS: whole(1000, 600_000),
    AVAILABILITY_CLOCK_MS: whole(10, 500),
    KEEPALIVE_MS: whole(1000, 12_000),
    SHUTDOWN_CLOSE_MS: whole(0, 3000),
    SHUTDOWN_DRAIN_MS: whole(0, 5000),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    EMBEDDED_POSTGRES_DIR: z.string().default('.data/postgres'),
  });

type Env = z.output<ReturnType<typeof envSchema>>;

/** Every environment variable the server reads (NODE_ENV picks the production defaults). */
export const settingNames = ['NODE_ENV', ...Object.keys(envSchema(false).shape)];

/** Limits every client is held to; see the README's configuration table for each one. */
export interface Limits {
  maxRequestBytes: number;
  maxQueryTokens: number;
  maxQueryDepth: number;
  maxQueryAliases: number;
  maxQueryDirectives: number;
  maxQueryCost: number;
  maxSubscriptionsPerConnection: number;
  maxSubscriptionsPerViewer: number;
  sseReservationsPerViewer: number;
  sseReservationConnectMs: number;
  mutationsPerMinute: number;
  queriesPerMinute: number;
  subscriptionsPerMinute: number;
  maxActiveBookingsPerUser: number;
  bookingStartGraceSeconds: number;
  bookingHorizonDays: number;
}

export interface DatabaseSettings {
  poolSize: number;
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

export interface TokenSettings {
  issuer?: string;
  audience?: string;
  /** Verify RS256/ES256 tokens against this JWKS as well as HS256 ones against the secret. */
  jwksUrl?: string;
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
}

/** How the change feed reads the log and keeps its connections; see the README for each. */
export interface RealtimeSettings {
  pollIntervalMs: number;
  pageSize: number;
  replayPageSize: number;
  listenHealthCheckMs: number;
  listenMaxBackoffMs: number;
  pruneIntervalMs: number;
  /** How often the books whose bookings started or ended meanwhile are announced. */
  availabilityClockMs: number;
  /** Delivery held back this long by an open transaction is logged, with its backend. */
  heldReportAfterMs: number;
  /** Keep-alive pings on WebSockets and single-connection SSE streams. */
  keepAliveMs: number;
}

/** Settings read once from the environment. */
export interface Config {
  port: number;
  /** Postgres connection string; unset means "start the embedded Postgres". */
  databaseUrl: string | undefined;
  production: boolean;
  jwtSecret: string | undefined;
  tokens: TokenSettings;
  /** How long the change log keeps changes for resuming subscribers, as a Postgres interval. */
  changeLogRetention: string;
  /** Live changes a subscriber may have queued before its subscription ends as too slow. */
  subscriberBufferSize: number;
  introspection: boolean;
  graphiql: boolean;
  /** Origins allowed to call the API from a browser; empty means same-origin only. */
  corsOrigins: string[];
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed. */
  trustProxyHops: number;
  database: DatabaseSettings;
  readyProbeTimeoutMs: number;
  requestTimeoutMs: number;
  limits: Limits;
  /** When set, `GET /metrics` needs `Authorization: Bearer <metricsToken>`; open otherwise. */
  metricsToken: string | undefined;
  /** OpenTelemetry traces over OTLP/HTTP, when an endpoint is set. */
  tracing: { endpoint: string | undefined; serviceName: string };
  realtime: RealtimeSettings;
  /** On SIGTERM: how long sockets get to close, and requests in flight to finish. */
  shutdown: { closeMs: number; drainMs: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  embeddedPostgresDir: string;
}

/** Reads and checks every setting; a bad value is one clear error naming its variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const parsed = envSchema(production).safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new Error(`${name} ${issue.message}, not "${env[name]}".`);
  }
  return fromEnv(parsed.data, production);
}

/** The settings a server gets when nothing is configured (tests start from these). */
export const defaultConfig = (overrides: NodeJS.ProcessEnv = {}): Config =>
  readConfig({ NODE_ENV: 'development', ...overrides });

function fromEnv(env: Env, production: boolean): Config {
  return {
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    production,
    jwtSecret: env.JWT_SECRET,
    tokens: {
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      jwksUrl: env.JWT_JWKS_URL || undefined,
      maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
      clockSkewSeconds: env.JWT_CLOCK_SKEW_SECONDS,
    },
    changeLogRetention: env.CHANGE_LOG_RETENTION,
    subscriberBufferSize: env.SUBSCRIBER_BUFFER_SIZE,
    introspection: env.GRAPHQL_INTROSPECTION,
    graphiql: env.GRAPHIQL,
    corsOrigins: env.CORS_ORIGINS,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    database: {
      poolSize: env.DB_POOL_SIZE,
      acquireTimeoutMs: env.DB_POOL_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: env.DB_LOCK_TIMEOUT_MS,
    },
    readyProbeTimeoutMs: env.READY_PROBE_TIMEOUT_MS,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    limits: {
      maxRequestBytes: env.MAX_REQUEST_BYTES,
      maxQueryTokens: env.MAX_QUERY_TOKENS,
      maxQueryDepth: env.MAX_QUERY_DEPTH,
      maxQueryAliases: env.MAX_QUERY_ALIASES,
      maxQueryDirectives: env.MAX_QUERY_DIRECTIVES,
      maxQueryCost: env.MAX_QUERY_COST,
      maxSubscriptionsPerConnection: env.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxSubscriptionsPerViewer: env.MAX_SUBSCRIPTIONS_PER_VIEWER,
      sseReservationsPerViewer: env.SSE_RESERVATIONS_PER_VIEWER,
      sseReservationConnectMs: env.SSE_RESERVATION_CONNECT_MS,
      mutationsPerMinute: env.RATE_MUTATIONS_PER_MINUTE,
      queriesPerMinute: env.RATE_QUERIES_PER_MINUTE,
      subscriptionsPerMinute: env.RATE_SUBSCRIPTIONS_PER_MINUTE,
      maxActiveBookingsPerUser: env.MAX_ACTIVE_BOOKINGS_PER_USER,
      bookingStartGraceSeconds: env.BOOKING_START_GRACE_SECONDS,
      bookingHorizonDays: env.BOOKING_HORIZON_DAYS,
    },
    metricsToken: env.METRICS_TOKEN,
    tracing: {
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
      serviceName: env.OTEL_SERVICE_NAME,
    },
    realtime: {
      pollIntervalMs: env.CHANGE_FEED_POLL_MS,
      pageSize: env.CHANGE_FEED_PAGE_SIZE,
      replayPageSize: env.REPLAY_PAGE_SIZE,
      listenHealthCheckMs: env.LISTEN_HEALTH_CHECK_MS,
      listenMaxBackoffMs: env.LISTEN_MAX_BACKOFF_MS,
      pruneIntervalMs: env.CHANGE_LOG_PRUNE_INTERVAL_MS,
      availabilityClockMs: env.AVAILABILITY_CLOCK_MS,
      heldReportAfterMs: env.DELIVERY_HELD_REPORT_MS,
      keepAliveMs: env.KEEPALIVE_MS,
    },
    shutdown: { closeMs: env.SHUTDOWN_CLOSE_MS, drainMs: env.SHUTDOWN_DRAIN_MS },
    logLevel: env.LOG_LEVEL,
    embeddedPostgresDir: env.EMBEDDED_POSTGRES_DIR,
  };
}
