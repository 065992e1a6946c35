import { SignJWT, jwtVerify } from 'jose';
import { DomainError } from '../errors.ts';
import { logger } from '../logger.ts';

export type Role = 'admin' | 'user';

/** The signed-in user: `sub` and `role` of a verified token. */
export interface Viewer {
  id: string;
  role: Role;
  /** When the token stops being valid (seconds since the epoch), if it says. */
  expiresAt?: number;
}

/** Used only outside production when JWT_SECRET is unset; tokens signed with it prove nothing. */
export const DEV_SECRET = 'shelfwire-dev-secret-do-not-use-in-production';

/** The signing key, or a startup error in production when JWT_SECRET is missing. */
export function resolveJwtSecret(options: { jwtSecret?: string; production: boolean }): string {
  if (options.jwtSecret) return options.jwtSecret;
  if (options.production) {
    throw new Error('JWT_SECRET must be set when NODE_ENV=production; refusing to start.');
  }
  logger.warn('JWT_SECRET is not set: using the development secret. Never do this in production.');
  return DEV_SECRET;
}

export interface TokenClaims {
  sub: string;
  role: Role;
  /** Lifetime such as "12h" or "7d". */
  expiresIn?: string;
}

export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  return new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(secret));
}

/**
 * The viewer named by an `Authorization` value ("Bearer <jwt>"); null when there is none.
 * A malformed, expired or forged token is an UNAUTHENTICATED error, never an anonymous request.
 */
export async function viewerFromAuthorization(
  secret: string,
  authorization: string | null | undefined,
): Promise<Viewer | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw invalidToken('expected "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(match[1]!, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken('no subject');
    if (payload.role !== 'admin' && payload.role !== 'user') throw invalidToken('unknown role');
    return { id: payload.sub, role: payload.role, expiresAt: payload.exp };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw invalidToken(error instanceof Error ? error.message : 'cannot verify');
  }
}

const invalidToken = (reason: string) =>
  new DomainError('UNAUTHENTICATED', `Invalid token: ${reason}.`);
