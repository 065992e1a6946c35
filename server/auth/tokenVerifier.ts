import { type JWTVerifyGetKey, createRemoteJWKSet, jwtVerify } from 'jose';
import type { TokenSettings } from '../config.ts';
import { DomainError } from '../errors.ts';
import { logger } from '../logger.ts';
import type { Viewer } from './jwt.ts';

/** Verifies the bearer tokens of every transport with the same rules. */
export interface TokenVerifier {
  /**
   * The viewer named by an `Authorization` value ("Bearer <jwt>"); null when there is none.
   * Malformed credentials and expired, forged or out-of-policy tokens are UNAUTHENTICATED errors,
   * never an anonymous request; keys that cannot be fetched are SERVICE_UNAVAILABLE.
   */
  viewerFrom(authorization: string | null | undefined): Promise<Viewer | null>;
}

export interface TokenVerifierOptions extends TokenSettings {
  /** Verifies HS256 tokens. */
  secret: string;
  /** How long a JWKS fetch may take. */
  jwksTimeoutMs?: number;
  /** After a fetch (or a failed one), how long until a token may cause another. */
  jwksCooldownMs?: number;
}

/** A JWT long enough for any sane claims; a longer header is refused before it is parsed. */
const maxAuthorizationLength = 8192;
const bearer = /^Bearer +([\w-]+\.[\w-]+\.[\w-]*) *$/i;

/** One verifier per server, built from `config.tokens` and the secret. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const secret = new TextEncoder().encode(options.secret);
  const jwks = options.jwksUrl
    ? remoteKeys(options.jwksUrl, options.jwksTimeoutMs ?? 5000, options.jwksCooldownMs ?? 30_000)
    : undefined;
  // HS256 only ever with the secret and RS256/ES256 only with JWKS keys: no algorithm confusion.
  const key: JWTVerifyGetKey = (header, token) =>
    header.alg === 'HS256' || !jwks ? secret : jwks(header, token);
  const algorithms = jwks ? ['HS256', 'RS256', 'ES256'] : ['HS256'];
  const skew = options.clockSkewSeconds;

  return {
    async viewerFrom(authorization) {
      if (authorization === null || authorization === undefined) return null;
      if (authorization.length > maxAuthorizationLength) throw invalidToken('header too long');
      const match = bearer.exec(authorization);
      if (!match) throw invalidToken('expected "Bearer <token>"');
      let payload;
      try {
        ({ payload } = await jwtVerify(match[1]!, key, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: skew,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        if (error instanceof DomainError) throw error;
        throw invalidToken(error instanceof Error ? error.message : 'cannot verify');
      }
      const now = Math.floor(Date.now() / 1000);
      // jose checks `iat` only together with a maximum age, which would make `iat` required.
      if (payload.iat !== undefined && payload.iat > now + skew) {
        throw invalidToken('issued in the future');
      }
      const lifetime = payload.exp! - (payload.iat ?? now + skew);
      if (lifetime > options.maxLifetimeSeconds) {
        throw invalidToken(`lifetime over ${options.maxLifetimeSeconds} s`);
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken('no subject');
      if (payload.role !== 'admin' && payload.role !== 'user') throw invalidToken('unknown role');
      return { id: payload.sub, role: payload.role, expiresAt: payload.exp };
    },
  };
}

/**
 * The identity provider's keys. jose refetches for an unknown `kid` at most once per cooldown
 * after a successful fetch, but retries at once after a failed one; so after a failure tokens
 * are refused without a fetch until the cooldown has passed.
 */
function remoteKeys(url: string, timeoutMs: number, cooldownMs: number): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(new URL(url), {
    timeoutDuration: timeoutMs,
    cooldownDuration: cooldownMs,
  });
  let failedAt = -Infinity;
  return async (header, token) => {
    if (Date.now() - failedAt < cooldownMs) throw keysUnavailable();
    try {
      return await keys(header, token);
    } catch (error) {
      // A key that is not there is the token's fault; no fresh key set at all is the fetch's.
      if (keys.fresh) throw error;
      failedAt = Date.now();
      logger.warn('cannot fetch the JWKS', { url, error });
      throw keysUnavailable();
    }
  };
}

const invalidToken = (reason: string) =>
  new DomainError('UNAUTHENTICATED', `Invalid token: ${reason}.`);
const keysUnavailable = () =>
  new DomainError(
    'SERVICE_UNAVAILABLE',
    'Cannot verify the token now: the signing keys are unavailable. Retry later.',
  );
