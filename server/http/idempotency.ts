import { createHash } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { type DocumentNode, Kind, getOperationAST, parse } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type pg from 'pg';
import { requestViewers } from '../auth/httpAuth.ts';
import { DomainError } from '../errors.ts';
import { logger } from '../logger.ts';
import { type Claim, type IdempotencyStore, idempotencyStore } from './idempotencyStore.ts';

/** The request header an integrator sends to make a mutation safe to retry. */
const idempotencyKeyHeader = 'idempotency-key';
/** Set on an answer replayed from the first request with its key. */
const replayedHeader = 'idempotent-replayed';

const keyShape = /^[\x20-\x7e]{1,200}$/;

const malformedKey = () =>
  new DomainError('BAD_REQUEST', 'Idempotency-Key must be 1 to 200 printable ASCII characters.');
const streamedAnswer = () =>
  new DomainError(
    'BAD_REQUEST',
    'Idempotency-Key needs a JSON answer: send the mutation with Accept: application/json.',
  );
const keyOfAnotherOperation = () =>
  new DomainError(
    'BAD_REQUEST',
    'This Idempotency-Key came with another operation in the last 24 hours: use a new key for a new operation.',
  );
const stillRunning = (retryAfterSeconds: number) =>
  new DomainError(
    'IDEMPOTENCY_CONFLICT',
    `A request with this Idempotency-Key is still running: retry in ${retryAfterSeconds} s for its answer.`,
    { retryAfterSeconds },
  );

/**
 * Codes a mutation's only root field gets when it wrote nothing: refused before its resolver
 * (auth), or its transaction rolled back (a statement or lock timeout, no connection). Such an
 * answer is not kept, so a retry with the key runs the mutation. One case hides a commit: the
 * connection lost during COMMIT itself (SERVICE_UNAVAILABLE); Postgres cannot tell the client
 * either, so that retry runs again as it would without a key.
 */
const wroteNothing = new Set<unknown>([
  // Masked database faults (a deadlock, a serialization failure): the transaction rolled back.
  'INTERNAL_SERVER_ERROR',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'TIMEOUT',
  'SERVICE_UNAVAILABLE',
]);

type FetchApi = { Response: typeof Response };

/** Lease renewals of one running request at most: 10 times its deadline. */
const maxRenewals = 20;
/**
 * Retries of one key that may wait for its answer at once on this instance; more are answered
 * IDEMPOTENCY_CONFLICT at once, since each waiting one polls Postgres.
 */
const maxWaitingPerKey = 4;

/**
 * `Idempotency-Key` on mutations over HTTP POST: the first request with a key runs and its
 * answer is stored in Postgres; a retry with the same key and operation within 24 hours gets
 * that answer again (same status and body, `Idempotent-Replayed: true`) without running. A
 * retry while the first still runs waits for its answer, at most `leaseMs`; past it, 409
 * IDEMPOTENCY_CONFLICT. The key with another operation is 422 BAD_REQUEST.
 *
 * Keys belong to the signed-in user (the token's `sub`), so no key can reach another user's
 * answer. Anonymous requests run as without the header: no mutation lets them write, and an
 * address is shared by every client behind one NAT or proxy. Queries and subscriptions ignore
 * the header: they change nothing.
 *
 * A claim is a lease of `leaseMs` (the request deadline), renewed while its request runs: if the
 * process that claimed a key dies before storing the answer, a retry after the lease runs the
 * mutation again. Had the first one committed, it then runs twice: the answer is stored after
 * the mutation's transaction, not in it.
 */
export function useIdempotencyKeys(options: {
  pool: pg.Pool;
  leaseMs: number;
  maxQueryTokens: number;
}): Plugin {
  const store = idempotencyStore(options.pool, options.leaseMs);
  const waiting = new Map<string, number>();
  const claims = new WeakMap<
    Request,
    { claim: Claim; singleRootField: boolean; renewal: NodeJS.Timeout }
  >();
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, endResponse }) {
      const key = request.headers.get(idempotencyKeyHeader);
      if (key === null || request.method !== 'POST' || !requestParser) return;
      if (!keyShape.test(key)) return endResponse(refusal(fetchAPI, 400, malformedKey()));
      const viewer = requestViewers.get(request);
      if (!viewer) return;
      setRequestParser(async (parsing) => {
        const params = await requestParser(parsing);
        if (Array.isArray(params) || params instanceof fetchAPI.Response) return params;
        const mutation = mutationIn(params, options.maxQueryTokens);
        if (!mutation) return params;
        if (/text\/event-stream|multipart\/mixed/i.test(request.headers.get('accept') ?? '')) {
          return refusal(fetchAPI, 400, streamedAnswer());
        }
        const owner = `user:${viewer.id}`;
        const waitingKey = `${owner} ${key}`;
        const waiters = waiting.get(waitingKey) ?? 0;
        waiting.set(waitingKey, waiters + 1);
        let outcome;
        try {
          outcome = await claimOrAnswer(store, {
            owner,
            key,
            hash: operationHash(params),
            waitMs: waiters < maxWaitingPerKey ? options.leaseMs : 0,
            signal: request.signal,
            fetchAPI,
          });
        } finally {
          if (waiting.get(waitingKey) === 1) waiting.delete(waitingKey);
          else waiting.set(waitingKey, waiting.get(waitingKey)! - 1);
        }
        if (outcome instanceof fetchAPI.Response) return outcome;
        // A mutation may outlast the request deadline (it is not cut short): the lease is renewed
        // while it runs, and lapses when this process is gone, or at the latest after
        // `maxRenewals` (should no answer ever come, the key is not held for good).
        let renewals = 0;
        const renewal = setInterval(() => {
          if (++renewals > maxRenewals) return clearInterval(renewal);
          store.renew(outcome).catch((error: unknown) => {
            logger.warn('renewing an idempotency key lease failed', { error });
          });
        }, options.leaseMs / 2);
        renewal.unref();
        claims.set(request, { claim: outcome, singleRootField: mutation.singleRootField, renewal });
        return params;
      });
    },
    // Runs before the answer is sent, so a client that has it and retries finds it stored.
    async onResponse({ request, response }) {
      const claimed = claims.get(request);
      if (!claimed) return;
      claims.delete(request);
      clearInterval(claimed.renewal);
      try {
        const body = await response.clone().text();
        if (answerToKeep(body, claimed.singleRootField)) {
          const contentType = response.headers.get('content-type');
          if (!(await store.store(claimed.claim, response.status, contentType, body))) {
            logger.warn('an idempotency key was taken by a retry before its answer was stored', {
              key: claimed.claim.key,
            });
          }
        } else {
          await store.release(claimed.claim);
        }
      } catch (error) {
        // The client still gets its answer; a retry after the lease runs the mutation again.
        logger.error('storing the answer of an idempotency key failed', { error });
      }
    },
  };
}

/**
 * Takes the key, or answers for it: the stored answer, a refusal when the key came with another
 * operation, or IDEMPOTENCY_CONFLICT when its request is still running after `waitMs`.
 */
async function claimOrAnswer(
  store: IdempotencyStore,
  request: {
    owner: string;
    key: string;
    hash: string;
    waitMs: number;
    signal: AbortSignal;
    fetchAPI: FetchApi;
  },
): Promise<Claim | Response> {
  const { owner, key, hash, fetchAPI } = request;
  const waitUntil = Date.now() + request.waitMs;
  for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
    const claim = await store.claim(owner, key, hash);
    if (claim) return claim;
    const held = await store.find(owner, key);
    if (held && held.requestHash !== hash) return refusal(fetchAPI, 422, keyOfAnotherOperation());
    if (held?.body != null) {
      return new fetchAPI.Response(held.body, {
        status: held.status ?? 200,
        headers: {
          'content-type': held.contentType ?? 'application/json',
          [replayedHeader]: 'true',
        },
      });
    }
    const left = waitUntil - Date.now();
    if (left <= 0 || request.signal.aborted) {
      const retryAfterSeconds = Math.max(1, Math.ceil((held?.leaseLeftMs ?? 0) / 1000));
      return refusal(fetchAPI, 409, stillRunning(retryAfterSeconds), {
        'retry-after': String(retryAfterSeconds),
      });
    }
    // Held by a request still running, here or on another instance: Postgres has its answer
    // once it is stored. No row means it was just freed: claim again at once.
    if (held) await pause(Math.min(wait, left));
  }
}

/**
 * What makes two requests one operation: the document's text, the operation name and the
 * variables, whatever the order of their keys.
 */
export function operationHash(params: GraphQLParams): string {
  const same = [params.query, params.operationName ?? null, sortedKeys(params.variables ?? {})];
  return createHash('sha256').update(JSON.stringify(same)).digest('hex');
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortedKeys(object[key])]),
  );
}

/** The mutation a request runs, or undefined for anything else (Yoga answers a bad document). */
function mutationIn(params: GraphQLParams, maxTokens: number) {
  if (typeof params.query !== 'string') return undefined;
  let document: DocumentNode;
  try {
    document = parse(params.query, { maxTokens });
  } catch {
    return undefined; // Yoga's own parse refuses it the same way, before anything runs
  }
  const operationName = typeof params.operationName === 'string' ? params.operationName : null;
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'mutation') return undefined;
  const [first, ...rest] = operation.selectionSet.selections;
  return { singleRootField: rest.length === 0 && first?.kind === Kind.FIELD };
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { path?: unknown[]; extensions?: { code?: unknown } }[];
}

/**
 * Whether an answer is kept for retries: every answer of a mutation that ran, domain errors
 * included, since a retry would get the same. Not kept: errors of the request itself (no `data`:
 * a bad document, a rate limit), and a one-field mutation refused with a `wroteNothing` code.
 */
function answerToKeep(body: string, singleRootField: boolean): boolean {
  let answer: Answer;
  try {
    answer = JSON.parse(body) as Answer;
  } catch {
    return false; // not a GraphQL answer (Yoga's 4xx without a body): nothing ran
  }
  if (answer === null || typeof answer !== 'object' || !('data' in answer)) return false;
  if (!singleRootField || !answer.errors?.length) return true;
  const returned = Object.values(answer.data ?? {}).some((value) => value !== null);
  const refusedUnwritten = answer.errors.every(
    (error) => error.path?.length === 1 && wroteNothing.has(error.extensions?.code),
  );
  return returned || !refusedUnwritten;
}

function refusal(
  fetchAPI: FetchApi,
  status: number,
  error: DomainError,
  headers: Record<string, string> = {},
): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [error.toJSON()] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
