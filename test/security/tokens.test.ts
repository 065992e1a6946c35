// Tokens are verified strictly on every transport: claims, lifetime, issuer, keys, and the shape
// of the credentials themselves. Malformed credentials are refused, never taken as anonymous.
import { spawnSync } from 'node:child_process';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { type CryptoKey, SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createTokenVerifier } from '../../server/auth/tokenVerifier.ts';
import { serverPerFile, testSecret, tokenFor, type Transport, transports } from '../support.ts';

const now = () => Math.floor(Date.now() / 1000);
const day = 24 * 3600;
const viewerQuery = '{ viewer { userId } }';

/** An HS256 token signed with the server's secret; a claim set to undefined is left out. */
function hs256(claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'ada', role: 'user', iat: now(), exp: now() + 3600, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(testSecret));
}

function es256(key: CryptoKey, kid: string, claims: Record<string, unknown> = {}) {
  return new SignJWT({ sub: 'ida', role: 'user', iat: now(), exp: now() + 3600, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid })
    .sign(key);
}

/** An identity provider's JWKS endpoint on 127.0.0.1, counting how often it is fetched. */
async function startJwks(publicKey: CryptoKey, kid: string) {
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((_request, response) => {
    fetches += 1;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Outcome = { viewer: { userId: string } | null } | { refused: string };

/**
 * Asks for the viewer over one transport with a raw `authorization` value (connectionParams over
 * WebSocket, a header otherwise). A refusal reads "<close code> <reason>" or "<HTTP status>".
 */
function viewerOver(
  server: { url: string },
  transport: Transport | 'http',
  authorization?: string,
  connectionParams?: Record<string, unknown>,
): Promise<Outcome> {
  if (transport === 'http') {
    return fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization !== undefined ? { authorization } : {}),
      },
      body: JSON.stringify({ query: viewerQuery }),
    }).then(async (response) => {
      const body = (await response.json()) as {
        data?: { viewer: { userId: string } | null };
        errors?: { extensions?: { code?: string } }[];
      };
      if (response.status !== 200) {
        return { refused: `${response.status} ${body.errors?.[0]?.extensions?.code}` };
      }
      return { viewer: body.data!.viewer };
    });
  }
  return new Promise((resolve) => {
    let dispose = () => undefined as unknown;
    const finish = (outcome: Outcome) => {
      resolve(outcome);
      void dispose();
    };
    const sink = {
      next: (value: { data?: { viewer: { userId: string } | null } }) =>
        finish({ viewer: value.data!.viewer }),
      error: (error: unknown) => {
        const event = error as { code?: number; reason?: string; response?: { status: number } };
        finish({
          refused: event.response
            ? String(event.response.status)
            : `${event.code} ${event.reason ?? String(error)}`,
        });
      },
      complete: () => undefined,
    };
    if (transport === 'ws') {
      const client = createWsClient({
        url: server.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams:
          connectionParams ?? (authorization !== undefined ? { authorization } : {}),
        retryAttempts: 0,
      });
      dispose = () => client.dispose();
      client.subscribe({ query: viewerQuery }, sink as never);
    } else {
      const client = createSseClient({
        url: transport === 'sse-single' ? `${server.url}/stream` : server.url,
        singleConnection: transport === 'sse-single',
        headers: authorization !== undefined ? { authorization } : {},
        retryAttempts: 0,
      });
      dispose = () => client.dispose();
      client.subscribe({ query: viewerQuery }, sink as never);
    }
  });
}

const everyRoute = ['http', ...transports] as const;
/** What each route answers to credentials it refuses. */
const refusalOn = (route: (typeof everyRoute)[number]) =>
  route === 'http' ? '401 UNAUTHENTICATED' : route === 'ws' ? /^4403 UNAUTHENTICATED: / : '401';
const expectRefused = (outcome: Outcome, route: (typeof everyRoute)[number]) => {
  const expected = refusalOn(route);
  expect(outcome).toEqual({
    refused: typeof expected === 'string' ? expected : expect.stringMatching(expected),
  });
};

describe('with the default settings', () => {
  const fixture = serverPerFile();

  test.each(everyRoute)('over %s a token without exp is refused', async (route) => {
    expectRefused(
      await viewerOver(fixture.server, route, `Bearer ${await hs256({ exp: undefined })}`),
      route,
    );
  });

  test.each(everyRoute)('over %s a valid token still names its viewer', async (route) => {
    expect(await viewerOver(fixture.server, route, `Bearer ${await hs256()}`)).toEqual({
      viewer: { userId: 'ada' },
    });
  });

  test('a token issued or valid only in the future is refused beyond the 30 s clock skew', async () => {
    for (const claims of [{ iat: now() + 120 }, { nbf: now() + 120 }]) {
      expectRefused(
        await viewerOver(fixture.server, 'http', `Bearer ${await hs256(claims)}`),
        'http',
      );
    }
    for (const claims of [{ iat: now() + 10 }, { nbf: now() + 10 }]) {
      expect(await viewerOver(fixture.server, 'http', `Bearer ${await hs256(claims)}`)).toEqual({
        viewer: { userId: 'ada' },
      });
    }
  });

  test('a token that lives longer than 7 days is refused, with or without iat', async () => {
    const issued = now();
    for (const claims of [
      { iat: issued, exp: issued + 8 * day },
      { iat: issued - 6 * day, exp: issued + 2 * day },
      { iat: undefined, exp: issued + 8 * day },
    ]) {
      expectRefused(
        await viewerOver(fixture.server, 'http', `Bearer ${await hs256(claims)}`),
        'http',
      );
    }
    for (const claims of [
      { iat: issued, exp: issued + 7 * day },
      { iat: undefined, exp: issued + 7 * day },
    ]) {
      expect(await viewerOver(fixture.server, 'http', `Bearer ${await hs256(claims)}`)).toEqual({
        viewer: { userId: 'ada' },
      });
    }
    expect(
      await viewerOver(fixture.server, 'ws', `Bearer ${await tokenFor('ada', 'user', '7d')}`),
    ).toEqual({
      viewer: { userId: 'ada' },
    });
  });

  test('an ES256 or RS256 token is refused when no JWKS is configured, and alg none always', async () => {
    const ec = await generateKeyPair('ES256');
    const rsa = await generateKeyPair('RS256');
    const tokens = [
      await es256(ec.privateKey, 'k1'),
      await new SignJWT({ sub: 'ida', role: 'user' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(rsa.privateKey),
      new UnsecuredJWT({ sub: 'ida', role: 'admin' })
        .setIssuedAt()
        .setExpirationTime('1h')
        .encode(),
    ];
    for (const token of tokens) {
      for (const route of ['http', 'ws'] as const) {
        expectRefused(await viewerOver(fixture.server, route, `Bearer ${token}`), route);
      }
    }
  });

  const malformed = {
    'Basic credentials': 'Basic YWRhOnNlY3JldA==',
    'a Bearer with two tokens': 'Bearer aaa.bbb.ccc ddd.eee.fff',
    'a Bearer without a token': 'Bearer',
    'an empty value': '',
    'a 10 KB value': `Bearer ${'a'.repeat(10 * 1024)}`,
    'a token that is not a JWT': 'Bearer not-a-jwt',
  };
  test.each(everyRoute.flatMap((route) => Object.keys(malformed).map((what) => [route, what])))(
    'over %s an Authorization of %s is refused, not anonymous',
    async (route, what) => {
      const value = malformed[what as keyof typeof malformed];
      expectRefused(
        await viewerOver(fixture.server, route as Transport, value),
        route as Transport,
      );
    },
  );

  test.each([
    ['a number', { authorization: 42 }],
    ['an object', { authorization: { token: 'x' } }],
    ['an array', { authorization: ['Bearer x'] }],
    ['null', { authorization: null }],
    ['another spelling of the key', { Authorization: 'Bearer VALID' }],
  ])(
    'a WebSocket whose connectionParams.authorization is %s is closed with 4403',
    async (_what, params) => {
      const valid = `Bearer ${await hs256()}`;
      const connectionParams = Object.fromEntries(
        Object.entries(params).map(([key, value]) => [
          key,
          value === 'Bearer VALID' ? valid : value,
        ]),
      );
      expectRefused(await viewerOver(fixture.server, 'ws', undefined, connectionParams), 'ws');
    },
  );

  test('unknown extra connectionParams are ignored; none at all is anonymous', async () => {
    const authorization = `Bearer ${await hs256()}`;
    expect(
      await viewerOver(fixture.server, 'ws', undefined, { authorization, clientName: 'shelf-app' }),
    ).toEqual({ viewer: { userId: 'ada' } });
    expect(await viewerOver(fixture.server, 'ws', undefined, { clientName: 'shelf-app' })).toEqual({
      viewer: null,
    });
  });
});

describe('with an issuer, an audience and a JWKS', () => {
  const settings: Record<string, string> = {
    JWT_ISSUER: 'https://id.example',
    JWT_AUDIENCE: 'shelfwire',
  };
  const idp = { kid: 'idp-2026' } as {
    kid: string;
    keys: CryptoKeyPair;
    jwks: Awaited<ReturnType<typeof startJwks>>;
  };
  // Runs before serverPerFile's own hook, so the server starts with the JWKS URL.
  beforeAll(async () => {
    idp.keys = await generateKeyPair('ES256');
    idp.jwks = await startJwks(idp.keys.publicKey, idp.kid);
    settings.JWT_JWKS_URL = idp.jwks.url;
  });
  afterAll(() => idp.jwks.close());
  const fixture = serverPerFile(settings);
  const ours = { iss: 'https://id.example', aud: 'shelfwire' };

  test.each(everyRoute)(
    'over %s an ES256 token signed by a key of the JWKS is accepted',
    async (route) => {
      const token = await es256(idp.keys.privateKey, idp.kid, ours);
      expect(await viewerOver(fixture.server, route, `Bearer ${token}`)).toEqual({
        viewer: { userId: 'ida' },
      });
    },
  );

  test('HS256 tokens signed with the secret are accepted alongside', async () => {
    expect(await viewerOver(fixture.server, 'http', `Bearer ${await hs256(ours)}`)).toEqual({
      viewer: { userId: 'ada' },
    });
  });

  test('a token signed by another key is refused, whatever its kid', async () => {
    const stranger = await generateKeyPair('ES256');
    for (const kid of [idp.kid, 'unknown-kid']) {
      const token = await es256(stranger.privateKey, kid, ours);
      for (const route of ['http', 'ws'] as const) {
        expectRefused(await viewerOver(fixture.server, route, `Bearer ${token}`), route);
      }
    }
  });

  test('iss and aud are checked', async () => {
    for (const claims of [
      { ...ours, iss: 'https://evil.example' },
      { ...ours, aud: 'another-api' },
      { ...ours, iss: undefined },
      { ...ours, aud: undefined },
    ]) {
      expectRefused(
        await viewerOver(fixture.server, 'http', `Bearer ${await hs256(claims)}`),
        'http',
      );
      const token = await es256(idp.keys.privateKey, idp.kid, claims);
      expectRefused(await viewerOver(fixture.server, 'ws', `Bearer ${token}`), 'ws');
    }
    expectRefused(
      await viewerOver(fixture.server, 'http', `Bearer ${await tokenFor('ada')}`),
      'http',
    );
  });

  test('tokens with unknown kids do not fetch the JWKS again within the cooldown', async () => {
    await viewerOver(
      fixture.server,
      'http',
      `Bearer ${await es256(idp.keys.privateKey, idp.kid, ours)}`,
    );
    const before = idp.jwks.fetches;
    const stranger = await generateKeyPair('ES256');
    for (let i = 0; i < 20; i++) {
      const token = await es256(stranger.privateKey, `kid-${i}`, ours);
      expectRefused(await viewerOver(fixture.server, 'http', `Bearer ${token}`), 'http');
    }
    expect(idp.jwks.fetches - before).toBeLessThanOrEqual(1);
  });
});

test('an unreachable JWKS is SERVICE_UNAVAILABLE, fetched at most once per cooldown', async () => {
  let fetches = 0;
  const failing = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(503).end();
  });
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  const verifier = createTokenVerifier({
    secret: testSecret,
    jwksUrl: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/jwks`,
    maxLifetimeSeconds: 7 * day,
    clockSkewSeconds: 30,
  });
  const { privateKey } = await generateKeyPair('ES256');
  for (let i = 0; i < 10; i++) {
    await expect(
      verifier.viewerFrom(`Bearer ${await es256(privateKey, `kid-${i}`)}`),
    ).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
  }
  expect(fetches).toBe(1);
  await new Promise<void>((resolve) => failing.close(() => resolve()));
});

describe('npm run token', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['server/auth/tokenCli.ts', '--sub', 'alice', ...args], {
      env: { ...process.env, JWT_SECRET: 'cli-secret', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });

  test('refuses --expires beyond the maximum lifetime with one clear line', () => {
    const result = run('--expires', '30d');
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/JWT_MAX_LIFETIME_SECONDS/),
    ]);
  });

  test('refuses --expires banana with one clear line, not a stack', () => {
    const result = run('--expires', 'banana');
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--expires/)]);
  });
});

describe('probes', () => {
  const probeServer = serverPerFile();
  test('health and readiness probes answer whatever Authorization they carry', async () => {
    for (const path of ['/health', '/ready']) {
      const response = await fetch(new URL(path, probeServer.server.url), {
        headers: { authorization: 'Basic bm90OmEgand0' },
      });
      expect(response.status).toBe(200);
    }
  });
});
