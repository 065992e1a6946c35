import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { logger } from '../logger.ts';

const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies every pending migration in `migrations/`; safe to run from several replicas at once. */
export async function migrateUp(databaseUrl: string): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    log: (message) => logger.debug(message),
    verbose: false,
  });
  const names = applied.map((migration) => migration.name);
  if (names.length > 0) logger.info('migrations applied', { migrations: names });
  return names;
}
