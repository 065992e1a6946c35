import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { logger } from '../logger.ts';

/** How long a key's answer is replayed, from the first request with it (a Postgres interval). */
const keptFor = '24 hours';
/** Expired keys are deleted at most this often per instance, by a claim. */
const pruneEveryMs = 60_000;

/** A key taken by one request, until its lease ends. */
export interface Claim {
  owner: string;
  key: string;
  /** The answer is stored only while the row still carries this token, so never over a successor's. */
  token: string;
}

/** A key's row while it is kept: its operation, and its answer once stored. */
export interface HeldKey {
  requestHash: string;
  status: number | null;
  contentType: string | null;
  body: string | null;
  leaseLeftMs: number;
}

/**
 * The idempotency keys in Postgres (migrations/007), so every instance sees every claim. Times
 * are the database's, so instances agree on them whatever their clocks say.
 */
export function idempotencyStore(pool: pg.Pool, leaseMs: number) {
  let nextPrune = 0;
  const pruneNowAndThen = () => {
    if (Date.now() < nextPrune) return;
    nextPrune = Date.now() + pruneEveryMs;
    pool
      .query('DELETE FROM idempotency_keys WHERE created_at <= now() - $1::interval', [keptFor])
      .catch((error: unknown) =>
        logger.error('pruning expired idempotency keys failed', { error }),
      );
  };
  return {
    /**
     * Takes the key for a request: a new key, an expired one, or a claim of the same operation
     * whose lease ran out (its process died). Null while another request holds it.
     */
    async claim(owner: string, key: string, requestHash: string): Promise<Claim | null> {
      pruneNowAndThen();
      const { rows } = await pool.query<{ claim: string }>(
        `INSERT INTO idempotency_keys (owner_id, key, request_hash, claim, lease_until)
         VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
         ON CONFLICT (owner_id, key) DO UPDATE
           SET request_hash = excluded.request_hash, claim = excluded.claim,
               lease_until = excluded.lease_until, created_at = now(),
               status = NULL, content_type = NULL, body = NULL
           WHERE idempotency_keys.created_at <= now() - $6::interval
              OR (idempotency_keys.body IS NULL AND idempotency_keys.lease_until <= now()
                  AND idempotency_keys.request_hash = excluded.request_hash)
         RETURNING claim`,
        [owner, key, requestHash, randomUUID(), leaseMs, keptFor],
      );
      return rows[0] ? { owner, key, token: rows[0].claim } : null;
    },
    async find(owner: string, key: string): Promise<HeldKey | undefined> {
      const { rows } = await pool.query<HeldKey>(
        `SELECT request_hash AS "requestHash", status, content_type AS "contentType", body,
                greatest(0, extract(epoch FROM lease_until - now()) * 1000)::float8 AS "leaseLeftMs"
         FROM idempotency_keys
         WHERE owner_id = $1 AND key = $2 AND created_at > now() - $3::interval`,
        [owner, key, keptFor],
      );
      return rows[0];
    },
    /** Stores the answer; false when the claim was lost (its lease ran out and was taken). */
    async store(claim: Claim, status: number, contentType: string | null, body: string) {
      const { rowCount } = await pool.query(
        `UPDATE idempotency_keys SET status = $4, content_type = $5, body = $6
         WHERE owner_id = $1 AND key = $2 AND claim = $3`,
        [claim.owner, claim.key, claim.token, status, contentType, body],
      );
      return rowCount === 1;
    },
    /** Renews a running request's lease, so a retry cannot take the key while it still runs. */
    async renew(claim: Claim) {
      await pool.query(
        `UPDATE idempotency_keys SET lease_until = now() + $4 * interval '1 millisecond'
         WHERE owner_id = $1 AND key = $2 AND claim = $3 AND body IS NULL`,
        [claim.owner, claim.key, claim.token, leaseMs],
      );
    },
    /** Frees a key whose request changed nothing, so that a retry runs. */
    async release(claim: Claim) {
      await pool.query(
        `DELETE FROM idempotency_keys
         WHERE owner_id = $1 AND key = $2 AND claim = $3 AND body IS NULL`,
        [claim.owner, claim.key, claim.token],
      );
    },
  };
}

export type IdempotencyStore = ReturnType<typeof idempotencyStore>;
