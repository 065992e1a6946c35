import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import { clientAddressOf } from '../http/clientAddress.ts';
import { type Context, viewerKey } from '../context.ts';
import { requestViewers } from '../auth/httpAuth.ts';
import type { Limits } from '../config.ts';
import { classifyError } from '../errorMasking.ts';
import { DomainError, limitExceeded } from '../errors.ts';
import { type OperationResults, Reservation } from './sseReservation.ts';

/** graphql-sse's names for where the reservation token travels. */
const tokenHeader = 'x-graphql-event-stream-token';
const tokenQuery = 'token';

interface OperationParams {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

type FetchAPI = YogaServerInstance<object, object>['fetchAPI'];

/**
 * The single-connection mode of the graphql-sse protocol at `endpoint`, as graphql-sse's client
 * speaks it: PUT reserves a stream (201, the token as text), GET with the token opens it, POST
 * with the token and `extensions.operationId` starts an operation on it (202), DELETE
 * `?operationId=` stops one.
 *
 * Written by hand rather than mounted from graphql-sse (`useGraphQLSSE`): its handler keeps
 * reservations in a closure with no owner (anyone holding a token reads and steers the stream),
 * takes client-chosen tokens, never expires or caps them, and pulls every subscription eagerly
 * into an unbounded queue. Here a reservation belongs to the viewer that made it, the token is
 * the server's, reservations and operations are capped, an unconnected one expires, and results
 * are read only as fast as the client reads them (see Reservation).
 *
 * Operations execute through `yoga.getEnveloped`, so every envelop plugin (auth, limits, error
 * masking, shared results) applies as on the other transports. Authentication itself has
 * happened before, in `useBearerAuth`.
 */
export function useSingleConnectionSse(options: {
  endpoint: string;
  /** See TRUST_PROXY_HOPS: how an anonymous client's address is found. */
  trustProxyHops: number;
  keepAliveMs: number;
  limits: Pick<
    Limits,
    | 'sseReservationsPerViewer'
    | 'sseReservationConnectMs'
    | 'maxSubscriptionsPerConnection'
    | 'maxRequestBytes'
  >;
}): Plugin {
  const { endpoint, limits } = options;
  const reservations = new Map<string, Reservation>();
  const heldBy = new Map<string, number>();
  let yoga: YogaServerInstance<object, object>;

  function reserve(identity: Identity): Reservation | null {
    const held = heldBy.get(identity.key) ?? 0;
    if (held >= limits.sseReservationsPerViewer) return null;
    // 256 bits from the CSPRNG: the token is the only thing naming a stream in a URL or header.
    const token = randomBytes(32).toString('base64url');
    const reservation = new Reservation({
      token,
      owner: identity.key,
      ownerSignedIn: identity.signedIn,
      connectWithinMs: limits.sseReservationConnectMs,
      keepAliveMs: options.keepAliveMs,
      onClose: () => {
        reservations.delete(token);
        const left = (heldBy.get(identity.key) ?? 1) - 1;
        if (left > 0) heldBy.set(identity.key, left);
        else heldBy.delete(identity.key);
      },
      onReadFailure: readFailure,
    });
    reservations.set(token, reservation);
    heldBy.set(identity.key, held + 1);
    return reservation;
  }

  async function route(request: Request, url: URL, serverContext: NodeContext, fetchAPI: FetchAPI) {
    const identity = identityOf(request, serverContext, options.trustProxyHops);
    const reply = replies(fetchAPI);
    if (request.method === 'PUT') {
      // A token the client proposes (graphql-sse's handler would take it) is ignored.
      const reservation = reserve(identity);
      if (!reservation) {
        return reply.refusal(
          429,
          limitExceeded('open stream reservations per viewer', limits.sseReservationsPerViewer),
        );
      }
      return new fetchAPI.Response(reservation.token, {
        status: 201,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    const token = request.headers.get(tokenHeader) ?? url.searchParams.get(tokenQuery);
    if (!token) {
      return reply.refusal(
        404,
        new DomainError(
          'NOT_FOUND',
          `Reserve a stream with PUT first; for one stream per operation, use the GraphQL endpoint.`,
        ),
      );
    }
    const reservation = reservations.get(token);
    if (!reservation) return reply.notFound();
    if (reservation.owner !== identity.key) {
      return !identity.signedIn && reservation.ownerSignedIn
        ? reply.refusal(
            401,
            new DomainError('UNAUTHENTICATED', 'Sign in as the user who reserved this stream.'),
          )
        : reply.refusal(
            403,
            new DomainError('FORBIDDEN', 'This stream was reserved by another client.'),
          );
    }
    switch (request.method) {
      case 'GET':
        return openStream(reservation, request, serverContext, fetchAPI);
      case 'POST':
        return startOperation(reservation, request, serverContext, fetchAPI);
      case 'DELETE': {
        const operationId = url.searchParams.get('operationId');
        if (!operationId) return reply.badRequest('The operationId parameter is missing.');
        reservation.stop(operationId);
        return new fetchAPI.Response(null, { status: 200 });
      }
      default:
        return new fetchAPI.Response(null, {
          status: 405,
          headers: { allow: 'GET, POST, PUT, DELETE' },
        });
    }
  }

  function openStream(
    reservation: Reservation,
    request: Request,
    serverContext: NodeContext,
    fetchAPI: FetchAPI,
  ) {
    if (reservation.connected) {
      return replies(fetchAPI).refusal(
        409,
        new DomainError('BAD_REQUEST', 'This stream is already open.'),
      );
    }
    // The stream's events are written to Node's response itself (see Reservation).
    if (!serverContext.res) throw new Error('single-connection SSE needs the Node HTTP server');
    const body = reservation.connect(fetchAPI.ReadableStream, request.signal, serverContext.res);
    return new fetchAPI.Response(body, { status: 200, headers: eventStreamHeaders });
  }

  async function startOperation(
    reservation: Reservation,
    request: Request,
    serverContext: NodeContext,
    fetchAPI: FetchAPI,
  ) {
    const reply = replies(fetchAPI);
    const params = await readParams(request, limits.maxRequestBytes);
    if (params instanceof DomainError) {
      return reply.refusal(params.extensions.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400, params);
    }
    // The body may arrive slowly: the reservation can have expired or closed meanwhile.
    if (reservation.closed) return reply.notFound();
    const operationId = params.extensions?.operationId;
    if (typeof operationId !== 'string' || operationId === '') {
      return reply.badRequest('extensions.operationId is missing.');
    }
    if (reservation.has(operationId)) {
      return reply.refusal(
        409,
        new DomainError('BAD_REQUEST', `Operation ${operationId} is already running.`),
      );
    }
    if (reservation.operationCount >= limits.maxSubscriptionsPerConnection) {
      return reply.refusal(
        429,
        limitExceeded('operations on one stream', limits.maxSubscriptionsPerConnection),
      );
    }
    const signal = reservation.begin(operationId);
    const results = await execute(yoga, {
      ...serverContext,
      request,
      params,
      signal,
      sendSharedResult: reservation.sharedResultSender(operationId),
    });
    if (!reservation.attach(operationId, results)) {
      return new fetchAPI.Response(null, { status: 204 });
    }
    return new fetchAPI.Response(null, { status: 202 });
  }

  return {
    onYogaInit({ yoga: server }) {
      yoga = server as never;
    },
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      return route(request, url, serverContext as NodeContext, fetchAPI).then(endResponse);
    },
  };
}

/** Read, never written, by every stream's response (Headers keeps later changes in its own map). */
const eventStreamHeaders = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Proxies must neither compress nor buffer an event stream.
  'content-encoding': 'none',
  'x-accel-buffering': 'no',
});

/** The error sent for a result that failed to be read, as classifyError shows it to the client. */
const readFailure = (error: unknown) => classifyError(error, 'Unexpected error.') as GraphQLError;

/**
 * Yoga's server context under Node's HTTP server: the Node request, for the client's address,
 * and the response, which a stream's events are written to.
 */
interface NodeContext {
  req?: IncomingMessage;
  res?: ServerResponse;
}

/** Who is asking: the signed-in user, or an anonymous client known by its address. */
interface Identity {
  key: string;
  signedIn: boolean;
}

function identityOf(
  request: Request,
  serverContext: NodeContext,
  trustProxyHops: number,
): Identity {
  const viewer = requestViewers.get(request) ?? null;
  const address = clientAddressOf(serverContext.req, trustProxyHops);
  return { key: viewerKey(viewer, address), signedIn: viewer !== null };
}

function replies(fetchAPI: FetchAPI) {
  const refusal = (status: number, error: DomainError) =>
    new fetchAPI.Response(JSON.stringify({ errors: [error.toJSON()] }), {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  return {
    refusal,
    badRequest: (message: string) => refusal(400, new DomainError('BAD_REQUEST', message)),
    notFound: () => refusal(404, new DomainError('NOT_FOUND', 'Stream not found.')),
  };
}

/** The POSTed operation, checked; a DomainError says what is wrong with it. */
async function readParams(
  request: Request,
  maxBytes: number,
): Promise<OperationParams | DomainError> {
  const tooLarge = () =>
    new DomainError('PAYLOAD_TOO_LARGE', `The request body is over ${maxBytes} bytes.`);
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return tooLarge();
  if (!request.headers.get('content-type')?.includes('application/json')) {
    return new DomainError('BAD_REQUEST', 'Send the operation as application/json.');
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) return tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new DomainError('BAD_REQUEST', 'The request body is not JSON.');
  }
  const params = body as Partial<OperationParams> | null;
  const isObject = (value: unknown) =>
    value == null || (typeof value === 'object' && !Array.isArray(value));
  if (
    typeof params !== 'object' ||
    params === null ||
    typeof params.query !== 'string' ||
    !isObject(params.variables) ||
    !isObject(params.extensions) ||
    (params.operationName != null && typeof params.operationName !== 'string')
  ) {
    return new DomainError(
      'BAD_REQUEST',
      'Expected { query, variables?, operationName?, extensions: { operationId } }.',
    );
  }
  return params as OperationParams;
}

/**
 * Runs an operation as Yoga would: its errors (a query that does not parse, a refused
 * subscription) become its one result rather than a failed request, as on the other transports.
 */
async function execute(
  yoga: YogaServerInstance<object, object>,
  initialContext: NodeContext &
    Pick<Context, 'sendSharedResult'> & {
      request: Request;
      params: OperationParams;
      signal: AbortSignal;
    },
): Promise<OperationResults> {
  // `signal` is the operation's own: the POST ends at once, the operation lives until it is
  // stopped or its stream closes.
  const { parse, validate, contextFactory, execute, subscribe, schema } =
    yoga.getEnveloped(initialContext);
  const { params } = initialContext;
  try {
    const document = parse(params.query);
    const errors = validate(schema, document);
    if (errors.length > 0) return single({ errors });
    const args = {
      schema,
      document,
      contextValue: await contextFactory(),
      variableValues: params.variables,
      operationName: params.operationName,
    };
    const operation = getOperationAST(document, params.operationName);
    const result = (await (operation?.operation === 'subscription'
      ? subscribe(args)
      : execute(args))) as ExecutionResult | AsyncIterable<ExecutionResult>;
    return Symbol.asyncIterator in result ? result[Symbol.asyncIterator]() : single(result);
  } catch (error) {
    const shown =
      error instanceof DomainError || (error instanceof GraphQLError && !error.originalError)
        ? error
        : classifyError(error, 'Unexpected error.');
    return single({ errors: [shown as GraphQLError] });
  }
}

async function* single(result: ExecutionResult): OperationResults {
  yield result;
}
