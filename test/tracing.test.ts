// Traces: with OTEL_EXPORTER_OTLP_ENDPOINT set, each operation is a span sent over OTLP/HTTP.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTracing } from '../server/tracing.ts';
import { type TestDatabase, createTestDatabase, gqlOk, startTestServer } from './support.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

/** A stand-in OpenTelemetry collector: keeps the bodies POSTed to /v1/traces. */
async function collector() {
  const received: string[] = [];
  let arrived: () => void;
  const first = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        received.push(body);
        arrived();
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, first, close: () => server.close() };
}

test('each operation is exported as a span named for it, with the service name', async () => {
  const otlp = await collector();
  const server = await startTestServer(database, {
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_SERVICE_NAME: 'shelfwire-test',
  });
  await gqlOk(server, 'query TracedCatalogue { books(first: 1) { nodes { id } } }');
  await server.close(); // flushes the batch
  await otlp.first;
  const spans = otlp.received.join('\n');
  expect(spans).toContain('TracedCatalogue');
  expect(spans).toContain('shelfwire-test');
  otlp.close();
});

test('without an endpoint no tracing plugin runs at all', () => {
  expect(createTracing(undefined, 'shelfwire').plugins).toEqual([]);
});
