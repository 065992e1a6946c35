// Child process: the bare minimum that does Shelfwire's job, as the yardstick. One LISTEN
// connection; a SELECT of the notified rows (one query for whatever piled up meanwhile); each
// row serialized once per wire format, in the shapes graphql-ws and graphql-sse deliver, and
// written to every plain `ws` client and every event stream (any POST opens one, and
// graphql-sse's single-connection mode its reservation, stream and operations).
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { controlServer } from './serverControl.ts';
import { baselineChannel } from './writer.ts';

interface ChangedBook {
  id: string;
  title: string;
  copies: number;
  updated_at: Date;
  tx: string;
}

const databaseUrl = process.env.DATABASE_URL!;
const listener = new pg.Client({
  connectionString: databaseUrl,
  application_name: 'shelfwire-bench-baseline',
});
const reader = new pg.Client({
  connectionString: databaseUrl,
  application_name: 'shelfwire-bench-baseline',
});
await Promise.all([listener.connect(), reader.connect()]);

/** Open event streams, each answering one POST. */
const streams = new Set<ServerResponse>();
/**
 * Event streams of graphql-sse's single-connection mode, by their reservation token, each with
 * its operations' `next` event prefixes by operation id: PUT reserves, GET opens, POST adds an
 * operation, DELETE `?operationId=` removes one. The bench's clients are well behaved: nothing
 * here expires or is capped.
 */
interface SingleStream {
  response: ServerResponse | null;
  prefixes: Map<string, string>;
}
const singleStreams = new Map<string, SingleStream>();
let singleOperations = 0;
let nextToken = 0;
/** WebSockets, event streams and single-connection operations opened since the start. */
let opened = 0;
const eventStreamHead = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const httpServer = createServer((request, response) => {
  const token = request.headers['x-graphql-event-stream-token'];
  if (request.method === 'PUT') {
    const reserved = String(nextToken++);
    singleStreams.set(reserved, { response: null, prefixes: new Map() });
    response.writeHead(201, { 'content-type': 'text/plain' }).end(reserved);
    return;
  }
  if (typeof token === 'string') {
    serveSingleConnection(token, request, response);
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  request.resume();
  response.writeHead(200, eventStreamHead);
  response.flushHeaders();
  streams.add(response);
  opened += 1;
  response.once('close', () => streams.delete(response));
});

/** A single-connection stream's GET (the stream), POST (an operation) or DELETE (its end). */
function serveSingleConnection(
  token: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const stream = singleStreams.get(token);
  if (!stream) {
    response.writeHead(404).end();
    return;
  }
  switch (request.method) {
    case 'GET':
      if (stream.response) {
        response.writeHead(409).end();
        return;
      }
      response.writeHead(200, eventStreamHead);
      response.flushHeaders();
      stream.response = response;
      response.once('close', () => {
        singleOperations -= stream.prefixes.size;
        singleStreams.delete(token);
      });
      return;
    case 'POST':
      void startSingleOperation(token, stream, request, response);
      return;
    case 'DELETE': {
      const id = new URL(request.url ?? '', 'http://baseline').searchParams.get('operationId');
      if (id !== null && stream.prefixes.delete(id)) singleOperations -= 1;
      response.writeHead(200).end();
      return;
    }
    default:
      response.writeHead(405).end();
  }
}

async function startSingleOperation(
  token: string,
  stream: SingleStream,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  let operationId: unknown;
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as {
      extensions?: { operationId?: unknown };
    };
    operationId = body.extensions?.operationId;
  } catch {
    operationId = undefined;
  }
  if (typeof operationId !== 'string') {
    response.writeHead(400).end();
    return;
  }
  // The stream may have closed while the body arrived.
  if (singleStreams.get(token) !== stream) {
    response.writeHead(404).end();
    return;
  }
  if (!stream.prefixes.has(operationId)) singleOperations += 1;
  stream.prefixes.set(
    operationId,
    `event: next\ndata: {"id":${JSON.stringify(operationId)},"payload":`,
  );
  opened += 1;
  response.writeHead(202).end();
}
const sockets = new WebSocketServer({ server: httpServer });
sockets.on('connection', () => (opened += 1));
// The same queue for unaccepted connections as Shelfwire's (server/app.ts), for mass reconnects.
await new Promise<void>((resolve) =>
  httpServer.listen({ port: 0, host: '127.0.0.1', backlog: 8192 }, resolve),
);

/** Notified book ids not yet broadcast, in commit order. */
let pending: string[] = [];
let broadcasting = false;

/** Reads the notified rows, one query per batch that piled up meanwhile, and sends each. */
async function broadcastPending(): Promise<void> {
  if (broadcasting) return;
  broadcasting = true;
  while (pending.length > 0) {
    const ids = pending;
    pending = [];
    const { rows } = await reader.query<ChangedBook>(
      'SELECT id, title, copies, updated_at, xmin::text AS tx FROM books WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const books = new Map(rows.map((book) => [book.id, book]));
    for (const id of ids) {
      const book = books.get(id);
      if (book) broadcast(book);
    }
  }
  broadcasting = false;
}

/** One serialization and encoding per wire format, the same bytes written to every client. */
function broadcast(book: ChangedBook): void {
  const result = JSON.stringify({
    data: {
      bookChanged: {
        cursor: Buffer.from(`${book.tx}.1`).toString('base64url'),
        kind: 'UPDATED',
        at: book.updated_at.toISOString(),
        book: {
          id: Buffer.from(`Book:${book.id}`).toString('base64url'),
          title: book.title,
          copies: book.copies,
        },
      },
    },
  });
  if (sockets.clients.size > 0) {
    const message = Buffer.from(`{"id":"1","type":"next","payload":${result}}`);
    for (const socket of sockets.clients) socket.send(message, { binary: false });
  }
  if (streams.size > 0) {
    const event = Buffer.from(`event: next\ndata: ${result}\n\n`);
    for (const stream of streams) stream.write(event);
  }
  // The operation's id is inside each event: one text per operation.
  const tail = `${result}}\n\n`;
  for (const { response, prefixes } of singleStreams.values()) {
    for (const prefix of prefixes.values()) response?.write(prefix + tail);
  }
}

listener.on('notification', ({ payload }) => {
  if (payload) pending.push(payload);
  void broadcastPending();
});
await listener.query(`LISTEN ${baselineChannel}`);

const { port } = httpServer.address() as AddressInfo;
controlServer({
  url: `http://127.0.0.1:${port}`,
  subscriberCount: () => sockets.clients.size + streams.size + singleOperations,
  subscriptionsOpened: () => opened,
  async close() {
    for (const socket of sockets.clients) socket.terminate();
    for (const stream of streams) stream.destroy();
    for (const { response } of singleStreams.values()) response?.destroy();
    await new Promise<void>((resolve) => sockets.close(() => httpServer.close(() => resolve())));
    await Promise.all([listener.end(), reader.end()]);
  },
});
