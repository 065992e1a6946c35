// Child process: the bare minimum that does Shelfwire's job, as the yardstick. One LISTEN
// connection; a SELECT of the notified rows (one query for whatever piled up meanwhile); each
// row serialized once, in the shape graphql-ws delivers, and written to every plain `ws` client.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import {
  type ServerCommand,
  type ServerMessage,
  onParentCommand,
  tellParent,
} from './processes.ts';
import { LoadMeter } from './loadMeter.ts';
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

const httpServer = createServer();
const sockets = new WebSocketServer({ server: httpServer });
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));

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

/** One serialization, written to every client. */
function broadcast(book: ChangedBook): void {
  const message = JSON.stringify({
    id: '1',
    type: 'next',
    payload: {
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
    },
  });
  for (const socket of sockets.clients) socket.send(message);
}

listener.on('notification', ({ payload }) => {
  if (payload) pending.push(payload);
  void broadcastPending();
});
await listener.query(`LISTEN ${baselineChannel}`);

const tell = tellParent<ServerMessage>;
const meter = new LoadMeter();

onParentCommand<ServerCommand>(async (command) => {
  if (command.type === 'await-subscribers') {
    while (sockets.clients.size < command.count) await sleep(20);
    meter.start();
    void tell({ type: 'subscribed' });
  } else {
    const load = meter.read();
    for (const socket of sockets.clients) socket.terminate();
    await new Promise<void>((resolve) => sockets.close(() => httpServer.close(() => resolve())));
    await Promise.all([listener.end(), reader.end()]);
    await tell({ type: 'stopped', load });
    process.exit(0);
  }
});
const { port } = httpServer.address() as AddressInfo;
void tell({ type: 'ready', url: `ws://127.0.0.1:${port}` });
