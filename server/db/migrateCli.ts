// `npm run migrate`: apply pending migrations to DATABASE_URL, or to the embedded Postgres.
import { readConfig } from '../config.ts';
import { logger } from '../logger.ts';
import { openDatabase } from './openDatabase.ts';
import { migrateUp } from './migrate.ts';

const database = await openDatabase(readConfig());
try {
  const applied = await migrateUp(database.url);
  logger.info(applied.length ? 'database migrated' : 'database already up to date');
} finally {
  await database.close();
}
