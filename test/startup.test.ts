// `npm start` on a fresh machine: the embedded Postgres, its data across restarts, a clean exit.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEV_SECRET, signToken } from '../server/auth/jwt.ts';
import {
  postgresRunningIn,
  startServerProcess as start,
  stopServerProcess as stop,
} from './support.ts';

let dataRoot: string;
beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(tmpdir(), 'shelfwire-start-'));
  await chmod(dataRoot, 0o755);
});
afterAll(async () => {
  await rm(dataRoot, { recursive: true, force: true });
});

const post = async (url: string, query: string, token?: string) =>
  (
    await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    })
  ).json() as Promise<any>;

describe('npm start without DATABASE_URL', () => {
  test('boots an embedded Postgres, keeps its data across a restart, and leaves no process behind', async () => {
    const dataDir = path.join(dataRoot, 'restart', 'pg');
    const env = { EMBEDDED_POSTGRES_DIR: dataDir };
    const admin = await signToken(DEV_SECRET, { sub: 'root', role: 'admin' });

    const first = await start(env);
    expect(first.logs.some((line) => line.includes('JWT_SECRET is not set'))).toBe(true);
    const created = await post(
      first.url,
      'mutation { createBook(input: {title: "Persist", author: "Me", copies: 1}) { id } }',
      admin,
    );
    expect(created.data.createBook.id).toBeTypeOf('string');
    await stop(first);
    expect(postgresRunningIn(dataDir)).toBe(false);

    const second = await start(env);
    const listed = await post(second.url, '{ books(first: 10) { edges { node { title } } } }');
    expect(listed.data.books.edges.map((edge: any) => edge.node.title)).toEqual(['Persist']);
    await stop(second);
    expect(postgresRunningIn(dataDir)).toBe(false);
  });

  test('a server killed with SIGKILL takes its Postgres down with it, and the next start works', async () => {
    const dataDir = path.join(dataRoot, 'killed', 'pg');
    const first = await start({ EMBEDDED_POSTGRES_DIR: dataDir });
    expect(postgresRunningIn(dataDir)).toBe(true);
    await stop(first, 'SIGKILL');
    // The host process sees its stdin close and stops Postgres; wait for the postmaster to go.
    for (let i = 0; postgresRunningIn(dataDir) && i < 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(postgresRunningIn(dataDir)).toBe(false);
    const second = await start({ EMBEDDED_POSTGRES_DIR: dataDir });
    expect((await post(second.url, '{ viewer { userId } }')).data).toEqual({ viewer: null });
    await stop(second);
  });

  test('in production it refuses to start without JWT_SECRET', async () => {
    await expect(
      start({ NODE_ENV: 'production', EMBEDDED_POSTGRES_DIR: path.join(dataRoot, 'prod', 'pg') }),
    ).rejects.toThrow(/JWT_SECRET must be set/);
  });
});

test('npm run token prints a token the server accepts for that user and role', async () => {
  const token = execFileSync(
    process.execPath,
    ['server/auth/tokenCli.ts', '--sub', 'alice', '--role', 'admin'],
    {
      env: { ...process.env, JWT_SECRET: 'cli-secret', LOG_LEVEL: 'silent' },
    },
  )
    .toString()
    .trim();
  const { createTokenVerifier } = await import('../server/auth/tokenVerifier.ts');
  const { defaultConfig } = await import('../server/config.ts');
  const tokens = createTokenVerifier({ secret: 'cli-secret', ...defaultConfig().tokens });
  expect(await tokens.viewerFrom(`Bearer ${token}`)).toMatchObject({
    id: 'alice',
    role: 'admin',
  });
});
