import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ShelfwireServer, startServer } from '../../server/app.ts';
import { DEV_SECRET } from '../../server/auth/jwt.ts';
import { type TestDatabase, createTestDatabase, gql, testSecret } from '../../test/support.ts';

let database: TestDatabase;
let pageDir: string;
const servers: ShelfwireServer[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  pageDir = await mkdtemp(path.join(tmpdir(), 'shelfwire-page-'));
  await mkdir(path.join(pageDir, 'assets'));
  await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><title>page</title>');
  await writeFile(path.join(pageDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(path.join(pageDir, 'assets', 'index-abc123.css'), 'body{}');
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await database?.drop();
  await rm(pageDir, { recursive: true, force: true });
});

async function serve(jwtSecret: string, root: string) {
  const server = await startServer({
    databaseUrl: database.url,
    jwtSecret,
    port: 0,
    host: '127.0.0.1',
    webPageDir: root,
  });
  servers.push(server);
  const get = (pathname: string, init?: RequestInit) => fetch(new URL(pathname, server.url), init);
  return Object.assign(get, { server });
}

describe('the web page at /', () => {
  test('is served with the content type of each file, hashed assets cached for good', async () => {
    const get = await serve(testSecret, pageDir);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('<title>page</title>');
    const script = await get('/assets/index-abc123.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await get('/assets/index-abc123.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  test("a returning browser's revalidation (304) keeps the page's policy, so the page still loads", async () => {
    const get = await serve(testSecret, pageDir);
    const first = await get('/');
    const revalidated = await get('/', {
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    expect(revalidated.status).toBe(304);
    // A browser takes a 304's headers into its cached page.
    expect(revalidated.headers.get('content-security-policy')).toBe(
      first.headers.get('content-security-policy'),
    );
    expect(first.headers.get('content-security-policy')).toContain("default-src 'self'");
    // GraphQL, next to it, keeps the API's own.
    const api = await get('/graphql?query={__typename}');
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  test('leaves other paths to GraphQL and never serves files outside its folder', async () => {
    const get = await serve(testSecret, pageDir);
    expect((await get('/graphql?query={__typename}')).status).toBe(200);
    expect((await get('/%2e%2e/package.json')).status).toBe(404);
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  test('says how to build it until it is built', async () => {
    const get = await serve(testSecret, path.join(pageDir, 'not-built'));
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('npm run build:web');
  });
});

describe('dev sign-in', () => {
  const signIn = (get: Awaited<ReturnType<typeof serve>>, body: unknown) =>
    get('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('mints a token the API accepts when the server runs with the dev secret', async () => {
    const get = await serve(DEV_SECRET, pageDir);
    const response = await signIn(get, { sub: 'ada', role: 'admin' });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const viewer = await gql(get.server, '{ viewer { userId role } }', {}, token);
    expect(viewer.data).toEqual({ viewer: { userId: 'ada', role: 'admin' } });
    expect((await signIn(get, { sub: 'ada', role: 'root' })).status).toBe(400);
  });

  test('does not exist with any other secret', async () => {
    const get = await serve(testSecret, pageDir);
    const response = await signIn(get, { sub: 'ada', role: 'admin' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'NOT_FOUND' } }],
    });
  });
});
