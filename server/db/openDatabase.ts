import path from 'node:path';
import type { Config } from '../config.ts';
import { logger } from '../logger.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export interface Database {
  url: string;
  /** Stops the embedded Postgres, if this process started one. */
  close(): Promise<void>;
}

/** The configured database, or an embedded Postgres keeping its data under `.data/`. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, close: async () => {} };
  const dataDir = path.resolve(config.embeddedPostgresDir);
  const embedded = await startEmbeddedPostgres(dataDir);
  logger.info('DATABASE_URL is not set: started the embedded Postgres', { dataDir });
  return { url: embedded.url, close: () => embedded.stop() };
}
