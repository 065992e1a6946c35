import { expect, test } from 'vitest';
import WebSocket from 'ws';
import { opened, serverPerFile, subscribe } from '../support.ts';

const fixture = serverPerFile({ SUBSCRIBER_BUFFER_SIZE: '64' });

interface Message {
  type: string;
  payload?: any;
}

/** A graphql-ws client, by hand, whose socket can stop reading: a client that cannot keep up. */
async function stallableClient(url: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  await until(() => messages.some((message) => message.type === 'connection_ack'));
  return { socket, messages, until };
}

test('a client that cannot keep up is ended with SLOW_CONSUMER and resumes by cursor; others get everything', async () => {
  const description = '慢'.repeat(20_000); // ~60 kB
  // The stalled client asks for the description 16 times over: ~1 MB a change, so the socket
  // buffers between it and the server (tens of MB) fill after a few dozen changes.
  const copies = Array.from({ length: 16 }, (_, i) => `d${i}: description`).join(' ');
  const slow = await stallableClient(fixture.server.url);
  const [, fast] = await opened(fixture.server, () => {
    slow.socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: `subscription { bookChanged { cursor book { title ${copies} } } }` },
      }),
    );
    return [
      'slow',
      subscribe(fixture.server, 'ws', 'subscription { bookChanged { cursor book { title } } }'),
    ] as const;
  });
  slow.socket.pause();

  // Write until the server gives up on the stalled client (socket buffers absorb the first few MB).
  let changes = 0;
  for (; changes < 2000 && fixture.server.changes.subscriberCount > 1; changes++) {
    const i = changes;
    await fixture.database.sql.query(
      "INSERT INTO books (title, author, copies, description) VALUES ($1, 'Slow', 1, $2)",
      [`change ${i}`, description],
    );
  }
  expect(fixture.server.changes.subscriberCount).toBe(1);
  const fastTitles: string[] = [];
  for (let i = 0; i < changes; i++)
    fastTitles.push((await fast!.next()).data!.bookChanged.book.title);
  expect(fastTitles).toEqual(Array.from({ length: changes }, (_, i) => `change ${i}`));

  slow.socket.resume();
  await slow.until(() => slow.messages.some((message) => message.type === 'complete'));
  const results = slow.messages.filter((message) => message.type === 'next');
  const delivered = results.filter((message) => message.payload.data);
  const last = results.at(-1)!;
  expect(last.payload.errors[0].extensions.code).toBe('SLOW_CONSUMER');
  expect(delivered.length).toBeLessThan(changes);

  // Resuming from the last change it did get delivers the rest, exactly.
  const lastCursor = delivered.at(-1)!.payload.data.bookChanged.cursor;
  const [resumed] = await opened(fixture.server, () => [
    subscribe(
      fixture.server,
      'ws',
      'subscription ($after: String) { bookChanged(after: $after) { book { title } } }',
      {
        after: lastCursor,
      },
    ),
  ]);
  const rest: string[] = [];
  for (let i = delivered.length; i < changes; i++)
    rest.push((await resumed!.next()).data!.bookChanged.book.title);
  expect(rest).toEqual(
    Array.from({ length: changes - delivered.length }, (_, i) => `change ${delivered.length + i}`),
  );
  await resumed!.close();
  await fast!.close();
  slow.socket.close();
});
