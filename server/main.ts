// `npm start`: the API on DATABASE_URL, or on an embedded Postgres when it is unset.
import { startServer } from './app.ts';
import { resolveJwtSecret } from './auth/jwt.ts';
import { readConfig } from './config.ts';
import { migrateUp } from './db/migrate.ts';
import { openDatabase } from './db/openDatabase.ts';
import { logger } from './logger.ts';

const config = readConfig();
const jwtSecret = resolveJwtSecret(config);
const database = await openDatabase(config);

let server: Awaited<ReturnType<typeof startServer>> | undefined;
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
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

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
  logger.error('failed to start', { error });
  await database.close();
  process.exit(1);
}
