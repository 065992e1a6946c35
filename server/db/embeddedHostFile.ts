import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Written into the data directory by the process that runs the embedded Postgres, while it runs. */
export const hostFileName = 'shelfwire-host.json';

export interface RunningHost {
  /** The process that runs Postgres (embeddedPostgresHost.ts). */
  hostPid: number;
  /** The Shelfwire process that started it and decides when it stops. */
  ownerPid: number;
  port: number;
}

/** Whether a process exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The host currently running the embedded Postgres in `dataDir`, if any. A file left behind by
 * a host killed outright names a dead process and counts as none.
 */
export async function readRunningHost(dataDir: string): Promise<RunningHost | undefined> {
  const text = await readFile(path.join(dataDir, hostFileName), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const host = JSON.parse(text) as RunningHost;
    return Number.isInteger(host.hostPid) && isAlive(host.hostPid) ? host : undefined;
  } catch {
    return undefined; // a file cut short by a crash while it was written
  }
}
