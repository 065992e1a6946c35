// Every input has a size and every operation a cost, refused before any resolver or SQL runs.
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { encodeGlobalId } from '../../server/schema/globalId.ts';
import {
  errorCode,
  gql,
  serverPerFile,
  startTestServer,
  subscribe,
  transports,
} from '../support.ts';

const fixture = serverPerFile();

const aliases = (count: number, field: string) =>
  Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');

/** A refusal at parse or validation time: errors and no `data` at all, so nothing executed. */
function expectRefusedBeforeExecution(
  result: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] },
  code: string,
) {
  expect(result.errors?.[0]?.extensions?.code).toBe(code);
  expect(result.data).toBeUndefined();
}

describe('query limits over HTTP', () => {
  test('more aliases than allowed is QUERY_TOO_COMPLEX, decided before execution', async () => {
    const result = await gql(
      fixture.server,
      `{ ${aliases(31, 'books(first: 1) { nodes { id } }')} }`,
    );
    expectRefusedBeforeExecution(result, 'QUERY_TOO_COMPLEX');
    expect(result.errors?.[0]?.message).toMatch(/Aliases limit of 30/);
  });

  test('a query whose list sizes multiply past the cost limit is QUERY_TOO_COMPLEX', async () => {
    const result = await gql(
      fixture.server,
      `{ ${aliases(20, 'books(first: 100) { nodes { title author description } }')} }`,
    );
    expectRefusedBeforeExecution(result, 'QUERY_TOO_COMPLEX');
    expect(result.errors?.[0]?.extensions?.maxCost).toBe(5000);
  });

  test('a query within every limit runs', async () => {
    const result = await gql(
      fixture.server,
      `{ ${aliases(5, 'books(first: 100) { nodes { title } }')} }`,
    );
    expect(result.errors).toBeUndefined();
  });

  test('nesting deeper than MAX_QUERY_DEPTH is QUERY_TOO_COMPLEX', async () => {
    // The schema has no cycles, so depth is tried on a server with a low limit.
    const shallow = await startTestServer(fixture.database, { MAX_QUERY_DEPTH: '3' });
    try {
      const query = (fields: string) => gql(shallow, `{ bookings { nodes { ${fields} } } }`);
      expect(errorCode(await query('id'))).toBe('UNAUTHENTICATED');
      expectRefusedBeforeExecution(await query('book { title }'), 'QUERY_TOO_COMPLEX');
    } finally {
      await shallow.close();
    }
  });

  test('a document nested 5,000 deep is GRAPHQL_PARSE_FAILED, not a server fault', async () => {
    const result = await gql(
      fixture.server,
      `{ ${'books { nodes { '.repeat(2500)}id${' } }'.repeat(2500)} }`,
    );
    expect(result.status).toBeLessThan(500);
    expectRefusedBeforeExecution(result, 'GRAPHQL_PARSE_FAILED');
    expect((await fetch(new URL('/health', fixture.server.url))).status).toBe(200);
  });

  test('a document with more tokens than allowed is GRAPHQL_PARSE_FAILED', async () => {
    const result = await gql(fixture.server, `{ viewer { ${'userId '.repeat(2001)} } }`);
    expectRefusedBeforeExecution(result, 'GRAPHQL_PARSE_FAILED');
  });

  test('nodes(ids:) takes at most 100 ids: BAD_USER_INPUT naming ids', async () => {
    const ids = Array.from({ length: 101 }, () => encodeGlobalId('Book', crypto.randomUUID()));
    const result = await gql(fixture.server, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids,
    });
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.field).toBe('ids');
    const fine = await gql(fixture.server, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: ids.slice(0, 100),
    });
    expect(fine.errors).toBeUndefined();
  });

  test('books(search:) is at most 200 characters and holds no NUL byte', async () => {
    const search = (text: string) =>
      gql(fixture.server, 'query ($s: String) { books(search: $s) { nodes { id } } }', { s: text });
    const long = await search('x'.repeat(201));
    expect(errorCode(long)).toBe('BAD_USER_INPUT');
    expect(long.errors?.[0]?.extensions?.field).toBe('search');
    const nul = await search('a\u0000b');
    expect(errorCode(nul)).toBe('BAD_USER_INPUT');
    expect(nul.errors?.[0]?.extensions?.field).toBe('search');
    expect((await search('x'.repeat(200))).errors).toBeUndefined();
  });
});

describe('message size over WebSocket', () => {
  async function closeOf(message: string): Promise<number> {
    const socket = new WebSocket(fixture.server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(message);
    return closed;
  }

  test('a connection_init larger than a request may be closes the socket with 1009', async () => {
    const huge = JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(150_000) } });
    expect(await closeOf(huge)).toBe(1009);
    expect((await fetch(new URL('/health', fixture.server.url))).status).toBe(200);
  });
});

describe.each(transports)('query limits over %s', (transport) => {
  test('a subscription with too many aliases is refused with QUERY_TOO_COMPLEX', async () => {
    const subscription = subscribe(
      fixture.server,
      transport,
      `subscription { bookChanged { ${aliases(31, 'cursor')} } }`,
    );
    const errors = await subscription.refused;
    expect(errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    await subscription.close();
  });

  test('a document nested 5,000 deep is GRAPHQL_PARSE_FAILED', async () => {
    const subscription = subscribe(
      fixture.server,
      transport,
      `subscription { bookChanged { ${'book { '.repeat(2500)}id${' }'.repeat(2500)} } }`,
    );
    const errors = await subscription.refused;
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    await subscription.close();
  });
});

describe('request size over HTTP', () => {
  test('a body over MAX_REQUEST_BYTES is refused with 413 PAYLOAD_TOO_LARGE before it is read', async () => {
    const ids = Array.from({ length: 4000 }, () => encodeGlobalId('Book', crypto.randomUUID()));
    const response = await fetch(fixture.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids },
      }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a chunked body of unknown length is refused with 411', async () => {
    const { request } = await import('node:http');
    const url = new URL(fixture.server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const sent = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      ).on('error', reject);
      sent.write('{"query":');
      sent.end('"{ viewer { userId } }"}');
    });
    expect(status).toBe(411);
  });
});
