/** Why a connection to Postgres failed, when the cause is the setup rather than a fault. */
const causes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  // Postgres SQLSTATEs of a refused session.
  '28P01': 'password authentication failed',
  '28000': 'authentication refused',
  '3D000': 'no such database',
};

/**
 * One line saying which database could not be reached and why (never the password), or
 * undefined when `error` is not a connection failure and deserves its stack trace.
 */
export function describeConnectionFailure(error: unknown, databaseUrl: string): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const cause = typeof code === 'string' ? causes[code] : undefined;
  const timedOut = error instanceof Error && /connection timeout/i.test(error.message);
  if (!cause && !timedOut) return undefined;
  let where = 'the database';
  try {
    const url = new URL(databaseUrl);
    where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    // a URL pg itself could not use; say nothing more about it
  }
  return `Cannot connect to Postgres at ${where} (${cause ?? 'timed out'}): check DATABASE_URL.`;
}
