// `npm start`: the API on DATABASE_URL, or on an embedded Postgres when it is unset.
//
// A mistake in the setup (a bad setting, a taken port, an unreachable database) ends the process
// with one log line naming it and exit code 1; a stack trace is kept for real faults.
import { startServer } from './app.ts';
import { resolveJwtSecret } from './auth/jwt.ts';
import { type Config, readConfig } from './config.ts';
import { describeConnectionFailure } from './db/connectionFailure.ts';
import { migrateUp } from './db/migrate.ts';
import { type Database, openDatabase } from './db/openDatabase.ts';
import { logger } from './logger.ts';

function fail(message: string): never {
  logger.error(message);
  process.exit(1);
}

/** One line for a failure the operator can fix, or undefined for a fault. */
function describeStartupFailure(error: unknown, config: Config, databaseUrl: string) {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return `Port ${config.port} is in use: set PORT to another port.`;
  if (code === 'EACCES') {
    return `Port ${config.port} needs privileges this process lacks: set PORT to another port.`;
  }
  return describeConnectionFailure(error, databaseUrl);
}

let config: Config;
let jwtSecret: string;
try {
  config = readConfig();
  jwtSecret = resolveJwtSecret(config);
} catch (error) {
  fail((error as Error).message);
}
const database: Database = await openDatabase(config).catch((error: Error) => fail(error.message));

let server: Awaited<ReturnType<typeof startServer>> | undefined;
/**
 * Stops in dependency order: the server first (it stops accepting, ends subscriptions, releases
 * LISTEN and ends its pool), the embedded Postgres last, so no connection sees Postgres go away.
 */
async function shutdown(signal: string) {
  logger.info('shutting down', { signal });
  let exitCode = 0;
  try {
    await server?.close();
  } catch (error) {
    logger.error('shutdown failed', { error });
    exitCode = 1;
  } finally {
    await database.close();
  }
  process.exit(exitCode);
}
// Ctrl-C reaches this process twice under `npm start` (from the terminal and forwarded by npm);
// shutdown has deadlines of its own, so a repeated signal does not cut it short.
let stopping: Promise<void> | undefined;
const onSignal = (signal: NodeJS.Signals) => void (stopping ??= shutdown(signal));
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

try {
  await migrateUp(database.url);
  server = await startServer({
    databaseUrl: database.url,
    jwtSecret,
    port: config.port,
    config,
  });
  logger.info(`${config.graphiql ? 'GraphiQL' : 'GraphQL'} at ${server.url}`, { url: server.url });
  logger.info(`Web page at ${new URL('/', server.url)}`);
} catch (error) {
  const failure = describeStartupFailure(error, config, database.url);
  if (failure) logger.error(failure);
  else logger.error('failed to start', { error });
  await database.close();
  process.exit(1);
}
