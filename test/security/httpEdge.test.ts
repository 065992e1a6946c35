// The HTTP edge: hostile paths, production defaults, CORS, CSRF and security headers.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { type ShelfwireServer, startServer } from '../../server/app.ts';
import { defaultConfig } from '../../server/config.ts';
import {
  type TestDatabase,
  createTestDatabase,
  errorCode,
  gql,
  gqlOk,
  serverPerFile,
  testSecret,
  tokenFor,
} from '../support.ts';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends `path` exactly as written: fetch and URL would normalise it first. */
function rawGet(server: { port: number }, target: string, headers: Record<string, string> = {}) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const sent = httpRequest(
      { host: '127.0.0.1', port: server.port, path: target, headers, agent: false },
      (answer) => {
        let body = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (body += chunk));
        answer.on('end', () =>
          resolve({ status: answer.statusCode!, headers: answer.headers, body }),
        );
        answer.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end();
  });
}

const health = (server: { url: string }) => fetch(new URL('/health', server.url));
const introspection = '{ __schema { types { name } } }';

describe('hostile request paths', () => {
  let database: TestDatabase;
  let server: ShelfwireServer;
  let root: string;
  beforeAll(async () => {
    // A page folder with secrets beside it: nothing outside `page/` may ever be served.
    root = await mkdtemp(path.join(tmpdir(), 'shelfwire-edge-'));
    await mkdir(path.join(root, 'page', 'assets'), { recursive: true });
    await mkdir(path.join(root, 'page-private'));
    await writeFile(path.join(root, 'page', 'index.html'), '<!doctype html><title>page</title>');
    await writeFile(path.join(root, 'page', 'assets', 'app-abc123.js'), 'console.log(1)');
    // Named as the API's paths are: the page must never answer for them.
    await writeFile(path.join(root, 'page', 'graphql.html'), 'NOT THE API');
    await mkdir(path.join(root, 'page', 'graphql'));
    await writeFile(path.join(root, 'page', 'graphql', 'stream.html'), 'NOT THE API');
    await writeFile(path.join(root, 'secret.txt'), 'TOP SECRET');
    await writeFile(path.join(root, 'page-private', 'secret.txt'), 'TOP SECRET');
    database = await createTestDatabase();
    server = await startServer({
      databaseUrl: database.url,
      jwtSecret: testSecret,
      port: 0,
      host: '127.0.0.1',
      config: defaultConfig(),
      webPageDir: path.join(root, 'page'),
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const oddPaths = [
    '/%00',
    '/assets/%00.js',
    `/${'a'.repeat(300)}`,
    `/assets/${'b'.repeat(300)}.js`,
    '/..%2fsecret.txt',
    '/..%2f..%2fpackage.json',
    '/%2e%2e/secret.txt',
    '/%2e%2e/page-private/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/%2e%2e%5csecret.txt',
    '//etc/passwd',
    '/../secret.txt',
    '/%ff',
    '/%',
  ];

  test.each(oddPaths)(
    'GET %s is answered 4xx, serves nothing outside the page, and the server lives on',
    async (hostile) => {
      const answer = await rawGet(server, hostile);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body).not.toContain('TOP SECRET');
      expect(answer.body).not.toContain('"name": "shelfwire"');
      expect(answer.body).not.toContain('root:');
      expect((await health(server)).status).toBe(200);
    },
  );

  test('the page itself is still served', async () => {
    expect((await rawGet(server, '/')).body).toContain('<title>page</title>');
    expect((await rawGet(server, '/assets/app-abc123.js')).status).toBe(200);
  });

  test('files named as the API are never served in its place', async () => {
    const query = await rawGet(server, '/graphql?query=%7B__typename%7D');
    expect(query.body).not.toContain('NOT THE API');
    expect(JSON.parse(query.body)).toEqual({ data: { __typename: 'Query' } });
    const stream = await rawGet(server, '/graphql/stream');
    expect(stream.body).not.toContain('NOT THE API');
  });

  test('a reversed range is answered with the whole file', async () => {
    const answer = await rawGet(server, '/assets/app-abc123.js', { range: 'bytes=9-2' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('console.log(1)');
    expect((await health(server)).status).toBe(200);
  });
});

describe('production defaults', () => {
  const fixture = serverPerFile({ NODE_ENV: 'production', JWT_SECRET: 'production-test-secret' });

  test('introspection is refused over HTTP with INTROSPECTION_DISABLED', async () => {
    const result = await gql(fixture.server, introspection);
    expect(errorCode(result)).toBe('INTROSPECTION_DISABLED');
    expect(result.data ?? undefined).toBeUndefined();
    expect(await gqlOk(fixture.server, '{ __typename }')).toEqual({ __typename: 'Query' });
  });

  test('introspection is refused over WebSocket too', async () => {
    const client = createWsClient({
      url: fixture.server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const outcome = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: introspection },
          { next: resolve, error: resolve, complete: () => resolve('completed') },
        );
      });
      expect(JSON.stringify(outcome)).toContain('INTROSPECTION_DISABLED');
      expect(JSON.stringify(outcome)).not.toContain('"types"');
    } finally {
      await client.dispose();
    }
  });

  test('GraphiQL is not there: 404', async () => {
    const page = await fetch(fixture.server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
  });

  test('a cross-site Origin, null included, gets no CORS answer', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const preflight = await fetch(fixture.server.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const answer = await fetch(fixture.server.url, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  test('every answer carries the security headers', async () => {
    for (const answer of [
      await fetch(fixture.server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
      await fetch(new URL('/', fixture.server.url)),
      await fetch(new URL('/no-such-page', fixture.server.url)),
      await health(fixture.server),
    ]) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });
});

describe('GraphiQL when GRAPHIQL=true in production', () => {
  const fixture = serverPerFile({
    NODE_ENV: 'production',
    JWT_SECRET: 'production-test-secret',
    GRAPHIQL: 'true',
  });

  test('is served from its own assets, no external script, under a CSP that allows its script', async () => {
    const answer = await fetch(fixture.server.url, { headers: { accept: 'text/html' } });
    expect(answer.status).toBe(200);
    const page = await answer.text();
    expect(page).toContain('<title>Shelfwire</title>');
    expect(page).toMatch(/subscriptionsProtocol["']?\s*:\s*["']SSE["']/);
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(page).not.toMatch(/<link[^>]+href=["']https?:/);
    expect(page).not.toContain('unpkg.com');
    const policy = answer.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toContain("'unsafe-eval'");
    expect(policy).toContain("frame-ancestors 'none'");
  });
});

describe('CORS allow-list', () => {
  const allowed = 'https://books.example';
  const fixture = serverPerFile({ CORS_ORIGINS: `${allowed}, https://other.example` });

  test('an allowed origin gets exactly its origin back, without credentials', async () => {
    const preflight = await fetch(fixture.server.url, {
      method: 'OPTIONS',
      headers: {
        origin: allowed,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const answer = await fetch(fixture.server.url, {
      method: 'POST',
      headers: { origin: allowed, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(answer.headers.get('access-control-expose-headers')).toContain('idempotent-replayed');
  });

  test('an origin not on the list gets no CORS answer', async () => {
    const answer = await fetch(fixture.server.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CSRF prevention', () => {
  const fixture = serverPerFile();
  const createBook = (title: string) =>
    `mutation { createBook(input: { title: "${title}", author: "Forged", copies: 1 }) { id } }`;
  const booksTitled = async (title: string) => {
    const data = await gqlOk<{ books: { edges: { node: { title: string } }[] } }>(
      fixture.server,
      '{ books(first: 50) { edges { node { title } } } }',
    );
    return data.books.edges.filter((edge) => edge.node.title === title).length;
  };

  test.each([
    [
      'application/x-www-form-urlencoded',
      (query: string) => new URLSearchParams({ query }).toString(),
    ],
    ['text/plain', (query: string) => JSON.stringify({ query })],
    ['text/plain;charset=UTF-8', (query: string) => JSON.stringify({ query })],
  ])('a %s POST of a mutation is refused and creates nothing', async (contentType, encode) => {
    const title = `Forged via ${contentType}`;
    const answer = await fetch(fixture.server.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        authorization: `Bearer ${await tokenFor('mallory', 'admin')}`,
      },
      body: encode(createBook(title)),
    });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({
      errors: [{ extensions: { code: 'CSRF_REFUSED' } }],
    });
    expect(await booksTitled(title)).toBe(0);
  });

  test('a multipart POST of a mutation is refused and creates nothing', async () => {
    const title = 'Forged via multipart';
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: createBook(title) }));
    form.set('map', '{}');
    const answer = await fetch(fixture.server.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor('mallory', 'admin')}` },
      body: form,
    });
    expect(answer.status).toBe(403);
    expect(await booksTitled(title)).toBe(0);
  });

  test('the same mutation as JSON runs, and GET queries still answer', async () => {
    const title = 'Sent as JSON';
    await gqlOk(fixture.server, createBook(title), {}, await tokenFor('ada', 'admin'));
    expect(await booksTitled(title)).toBe(1);
    const get = await fetch(new URL('/graphql?query={__typename}', fixture.server.url));
    expect(get.status).toBe(200);
  });
});
