// The commands an operator runs: beside a running server they leave it serving, Ctrl-C stops it
// in order and quietly, and a mistake is one line that says what is wrong, with a non-zero exit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresRunningIn, startServerProcess, stopServerProcess, testSecret } from './support.ts';

let dataRoot: string;
beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(tmpdir(), 'shelfwire-commands-'));
  await chmod(dataRoot, 0o755); // the embedded Postgres runs as `postgres` and must enter it
});
afterAll(async () => {
  await rm(dataRoot, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  /** Non-empty lines written to stderr. */
  lines: string[];
}

/** Runs one of the project's commands (`node <script> ...args`) to its end. */
async function run(script: string, args: string[], env: Record<string, string>): Promise<Finished> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', JWT_SECRET: testSecret, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, lines: stderr.split('\n').filter((line) => line.trim() !== '') };
}

const levelOf = (line: string): string | undefined => {
  try {
    return (JSON.parse(line) as { level?: string }).level;
  } catch {
    return undefined;
  }
};

const stackFrame = /^\s+at |"stack"/;

const ready = async (graphqlUrl: string) => (await fetch(new URL('/ready', graphqlUrl))).status;

const bookCount = async (graphqlUrl: string) => {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ books(first: 5) { edges { node { id } } } }' }),
  });
  const body = (await response.json()) as { data?: { books: { edges: unknown[] } } };
  return body.data?.books.edges.length;
};

describe('beside a running server on the embedded Postgres', () => {
  test('npm run migrate uses the server’s Postgres and leaves the server serving', async () => {
    const env = { EMBEDDED_POSTGRES_DIR: path.join(dataRoot, 'migrate', 'pg'), JWT_SECRET: 'x' };
    const server = await startServerProcess(env);
    try {
      const logged = server.logs.length;
      const migrate = await run('server/db/migrateCli.ts', [], env);
      expect(migrate.lines.filter((line) => stackFrame.test(line))).toEqual([]);
      expect(migrate.code).toBe(0);
      expect(migrate.lines.join('\n')).toMatch(/using the embedded Postgres of the running server/);

      expect(await bookCount(server.url)).toBe(0);
      expect(await ready(server.url)).toBe(200);
      expect(postgresRunningIn(env.EMBEDDED_POSTGRES_DIR)).toBe(true);
      expect(server.logs.slice(logged).filter((line) => levelOf(line) !== 'info')).toEqual([]);
    } finally {
      await stopServerProcess(server);
    }
    expect(postgresRunningIn(env.EMBEDDED_POSTGRES_DIR)).toBe(false);
  });

  test('a second npm start on the same data refuses in one line and leaves the first serving', async () => {
    const env = { EMBEDDED_POSTGRES_DIR: path.join(dataRoot, 'second', 'pg'), JWT_SECRET: 'x' };
    const first = await startServerProcess(env);
    try {
      const second = await run('server/main.ts', [], { ...env, PORT: String(await getPort()) });
      expect(second.code).toBe(1);
      expect(second.lines.filter((line) => stackFrame.test(line))).toEqual([]);
      expect(second.lines.filter((line) => levelOf(line) === 'error')).toEqual([
        expect.stringMatching(/is in use by another Shelfwire process \(pid \d+\)/),
      ]);
      expect(await ready(first.url)).toBe(200);
    } finally {
      await stopServerProcess(first);
    }
  });
});

test('Ctrl-C to the whole process group stops the server before its Postgres: no warning, no stack, a prompt exit', async () => {
  const dataDir = path.join(dataRoot, 'ctrl-c', 'pg');
  const server = await startServerProcess(
    { EMBEDDED_POSTGRES_DIR: dataDir, JWT_SECRET: 'x' },
    { processGroup: true },
  );
  expect(await ready(server.url)).toBe(200);
  const logged = server.logs.length;
  const exited = once(server.process, 'exit');
  const signalled = Date.now();
  process.kill(-server.process.pid!, 'SIGINT'); // as a terminal sends it: to every process
  const [code] = (await exited) as [number | null];

  expect(Date.now() - signalled).toBeLessThan(5000);
  expect(code).toBe(0);
  const shutdownLines = server.logs.slice(logged);
  expect(shutdownLines.filter((line) => levelOf(line) !== 'info')).toEqual([]);
  expect(shutdownLines.filter((line) => stackFrame.test(line))).toEqual([]);
  expect(shutdownLines.join('\n')).toContain('"server stopped"');
  expect(postgresRunningIn(dataDir)).toBe(false);
});

describe('a mistake is one line and a non-zero exit', () => {
  const tokenCli = 'server/auth/tokenCli.ts';
  test.each([
    [['--sub', 'ada', '--role', 'superuser'], /^--role must be user or admin, not "superuser"\.$/],
    [['--sub', 'ada', '--expires', 'banana'], /^--expires must be a duration such as 30m/],
  ])('npm run token -- %j', async (args, message) => {
    const { code, lines } = await run(tokenCli, args, {});
    expect(lines).toEqual([expect.stringMatching(message)]);
    expect(code).toBe(2);
  });

  test.each([
    [{ PORT: 'abc' }, /PORT must be a whole number, not \\"abc\\"/],
    [{ DB_POOL_SIZE: '0' }, /DB_POOL_SIZE must be at least 1, not \\"0\\"/],
  ])('npm start with the bad setting %j', async (env, message) => {
    const { code, lines } = await run('server/main.ts', [], env);
    expect(lines).toEqual([expect.stringMatching(message)]);
    expect(code).toBe(1);
  });

  test('npm start on a port in use says so and stops its Postgres', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const { port } = taken.address() as { port: number };
    const dataDir = path.join(dataRoot, 'port', 'pg');
    try {
      const { code, lines } = await run('server/main.ts', [], {
        PORT: String(port),
        EMBEDDED_POSTGRES_DIR: dataDir,
      });
      expect(lines.filter((line) => stackFrame.test(line))).toEqual([]);
      expect(lines.filter((line) => levelOf(line) !== 'info')).toEqual([
        expect.stringContaining(`Port ${port} is in use: set PORT to another port.`),
      ]);
      expect(code).toBe(1);
      expect(postgresRunningIn(dataDir)).toBe(false);
    } finally {
      taken.close();
    }
  });

  test('npm run migrate with an unreachable DATABASE_URL', async () => {
    const port = await getPort();
    const { code, lines } = await run('server/db/migrateCli.ts', [], {
      DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${port}/shelfwire`,
    });
    expect(lines).toEqual([
      expect.stringContaining(
        `Cannot connect to Postgres at 127.0.0.1:${port}/shelfwire (connection refused): check DATABASE_URL.`,
      ),
    ]);
    expect(lines.join('\n')).not.toContain('secret');
    expect(code).toBe(1);
  });
});
