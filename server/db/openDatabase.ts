import path from 'node:path';
import type { Config } from '../config.ts';
import { logger } from '../logger.ts';
import { findRunningEmbeddedPostgres, startEmbeddedPostgres } from './embedded.ts';

export interface Database {
  url: string;
  /** Stops the embedded Postgres, if this process started one. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Use the embedded Postgres a running server holds rather than refusing to start a second
   * one on the same data (for commands such as `npm run migrate`).
   */
  shareRunning?: boolean;
}

/** The configured database, or an embedded Postgres keeping its data under `.data/`. */
export async function openDatabase(config: Config, options: OpenOptions = {}): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, close: async () => {} };
  const dataDir = path.resolve(config.embeddedPostgresDir);
  const running = options.shareRunning ? await findRunningEmbeddedPostgres(dataDir) : undefined;
  if (running) {
    logger.info('using the embedded Postgres of the running server', {
      dataDir,
      serverPid: running.ownerPid,
    });
    return { url: running.url, close: async () => {} };
  }
  const embedded = await startEmbeddedPostgres(dataDir);
  logger.info('DATABASE_URL is not set: started the embedded Postgres', { dataDir });
  return { url: embedded.url, close: () => embedded.stop() };
}
