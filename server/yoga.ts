import { type Plugin, createYoga, useReadinessCheck } from 'graphql-yoga';
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import type { Viewer } from './auth/jwt.ts';
import { requestViewers, useBearerAuth } from './auth/httpAuth.ts';
import type { TokenVerifier } from './auth/tokenVerifier.ts';
import type { Config } from './config.ts';
import { type Context, Loaders } from './context.ts';
import { useErrorMasking } from './errorMasking.ts';
import { clientAddressOf } from './http/clientAddress.ts';
import { corsPolicy } from './http/cors.ts';
import { useGraphiQLPage } from './http/graphiql.ts';
import { useIdempotencyKeys } from './http/idempotency.ts';
import { useIntrospectionGate } from './http/introspection.ts';
import { databaseAnswers, useRequestDeadline } from './limits/deadlines.ts';
import { useFairUse } from './limits/fairUse.ts';
import { useQueryLimits } from './limits/queryLimits.ts';
import { logger } from './logger.ts';
import type { ShelfwireMetrics } from './metrics/metrics.ts';
import type { ChangeFeed } from './realtime/changeFeed.ts';
import { useSharedSubscriptionResults } from './realtime/sharedResults.ts';
import { type RefusalLog, useRefusalLog } from './refusalLog.ts';
import { schema } from './schema/index.ts';
import { useDistinctSseStreams } from './transports/sseDistinct.ts';
import { useSingleConnectionSse } from './transports/sseSingleConnection.ts';

export const graphqlPath = '/graphql';
export const streamPath = '/graphql/stream';

/** What a transport passes in: the WebSocket transport knows the viewer from connectionParams. */
interface TransportContext {
  viewer?: Viewer | null;
  signal?: AbortSignal;
  /** The Node request of an HTTP request (Yoga's own). */
  req?: IncomingMessage;
  /** A WebSocket's client address, read once from its upgrade request. */
  clientAddress?: string;
}

export function createShelfwireYoga(options: {
  pool: pg.Pool;
  changes: ChangeFeed;
  tokens: TokenVerifier;
  config: Config;
  refusalLog: RefusalLog;
  /** Plugins that observe every operation (tracing). */
  extraPlugins?: Plugin[];
  metrics: ShelfwireMetrics;
}) {
  return createYoga<TransportContext, Context>({
    schema,
    graphqlEndpoint: graphqlPath,
    landingPage: false,
    // Bodies are bounded before Yoga sees them (limits/requestSize.ts: MAX_REQUEST_BYTES from the
    // declared length, which Node's parser holds the body to; chunked bodies refused). Yoga's own
    // check pipes each body through a stream whose listeners stay on the request for as long as
    // an event stream it opened lives: 9.4 KB per SSE subscriber.
    maxRequestBodySize: false,
    // Served by useGraphiQLPage instead: from npm-installed assets, under its own CSP.
    graphiql: false,
    cors: corsPolicy(options.config.corsOrigins),
    logging: {
      debug: () => undefined,
      info: () => undefined,
      warn: (...args) => logger.warn(String(args[0]), { details: args.slice(1) }),
      // Yoga reports every failed request here, bad client input included: at debug level, so
      // a client cannot flood the log. The unexpected ones are logged by classifyError.
      error: (...args) => logger.debug(String(args[0]), { details: args.slice(1) }),
    },
    // Masked by useErrorMasking instead, which leaves subscription streams unwrapped.
    maskedErrors: false,
    context: (initial): Context => ({
      viewer:
        initial.viewer !== undefined
          ? initial.viewer
          : (requestViewers.get(initial.request) ?? null),
      db: options.pool,
      loaders: new Loaders(options.pool),
      changes: options.changes,
      limits: options.config.limits,
      clientAddress:
        initial.clientAddress ?? clientAddressOf(initial.req, options.config.trustProxyHops),
      signal: initial.signal ?? requestLifetime(initial.request),
    }),
    plugins: [
      useErrorMasking(),
      ...(options.extraPlugins ?? []),
      useGraphiQLPage({ enabled: options.config.graphiql, endpoint: graphqlPath }),
      useIntrospectionGate(options.config.introspection),
      // Suggestions ("Did you mean ...") would give away the schema wherever introspection is off.
      ...useQueryLimits(options.config.limits, { hideSuggestions: !options.config.introspection }),
      useBearerAuth(options.tokens),
      useFairUse(options.config.limits),
      useIdempotencyKeys({
        pool: options.pool,
        leaseMs: options.config.requestTimeoutMs,
        maxQueryTokens: options.config.limits.maxQueryTokens,
      }),
      useSingleConnectionSse({
        endpoint: streamPath,
        limits: options.config.limits,
        trustProxyHops: options.config.trustProxyHops,
        keepAliveMs: options.config.realtime.keepAliveMs,
      }),
      useDistinctSseStreams({ keepAliveMs: options.config.realtime.keepAliveMs }),
      useSharedSubscriptionResults(),
      options.metrics.plugin,
      useRequestDeadline(options.config.requestTimeoutMs),
      useRefusalLog(options.refusalLog),
      // /health says the process answers; /ready also that it hears about changes and that
      // the database answers in time (an exhausted pool or a stuck server is not ready).
      useReadinessCheck({
        endpoint: '/ready',
        check: async () =>
          options.changes.ready &&
          (await databaseAnswers(options.pool, options.config.readyProbeTimeoutMs)),
      }),
    ],
  });
}

/**
 * A signal that aborts when the client goes away. WebSockets need none: graphql-ws stops each of
 * a socket's operations when it closes, one still being set up as soon as it is. An HTTP request's
 * is aborted when its response closes, which for a single-connection SSE operation is its short
 * POST, not the stream it feeds: those pass their operation's own (transports/sseSingleConnection).
 */
function requestLifetime(request: Request | undefined): AbortSignal | undefined {
  if (!request || new URL(request.url).pathname === streamPath) return undefined;
  return request.signal;
}

export type ShelfwireYoga = ReturnType<typeof createShelfwireYoga>;
