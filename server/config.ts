/** Settings read once from the environment. */
export interface Config {
  port: number;
  /** Postgres connection string; unset means "start the embedded Postgres". */
  databaseUrl: string | undefined;
  production: boolean;
  jwtSecret: string | undefined;
  /** How long the change log keeps changes for resuming subscribers, as a Postgres interval. */
  changeLogRetention: string;
  /** Live changes a subscriber may have queued before its subscription ends as too slow. */
  subscriberBufferSize: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: wholeNumber('PORT', env.PORT, 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    production: env.NODE_ENV === 'production',
    jwtSecret: env.JWT_SECRET || undefined,
    changeLogRetention: env.CHANGE_LOG_RETENTION ?? '7 days',
    subscriberBufferSize: Math.max(
      1,
      wholeNumber('SUBSCRIBER_BUFFER_SIZE', env.SUBSCRIBER_BUFFER_SIZE, 1000),
    ),
  };
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new Error(`${name} must be a whole number, not "${value}".`);
  }
  return number;
}
