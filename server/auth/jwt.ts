import { SignJWT } from 'jose';
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
  /** `iss` and `aud`, for a server that checks them (JWT_ISSUER, JWT_AUDIENCE). */
  issuer?: string;
  audience?: string;
}

/** An HS256 token; it always expires (12 hours unless `expiresIn` says otherwise). */
export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  const token = new SignJWT({ role: claims.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '12h');
  if (claims.issuer) token.setIssuer(claims.issuer);
  if (claims.audience) token.setAudience(claims.audience);
  return token.sign(new TextEncoder().encode(secret));
}
