// `npm run migrate`: apply pending migrations to DATABASE_URL, or to the embedded Postgres (the
// one a running server holds, else one started for the command). Mistakes in the setup end it
// with one line and exit code 1; only real faults print a stack.
import { type Config, readConfig } from '../config.ts';
import { logger } from '../logger.ts';
import { describeConnectionFailure } from './connectionFailure.ts';
import { migrateUp } from './migrate.ts';
import { openDatabase } from './openDatabase.ts';

function fail(message: string): never {
  logger.error(message);
  process.exit(1);
}

let config: Config;
try {
  config = readConfig();
} catch (error) {
  fail((error as Error).message);
}
const database = await openDatabase(config, { shareRunning: true }).catch((error: Error) =>
  fail(error.message),
);
try {
  const applied = await migrateUp(database.url);
  logger.info(applied.length ? 'database migrated' : 'database already up to date');
} catch (error) {
  const failure = describeConnectionFailure(error, database.url);
  if (!failure) throw error;
  process.exitCode = 1;
  logger.error(failure);
} finally {
  await database.close();
}
