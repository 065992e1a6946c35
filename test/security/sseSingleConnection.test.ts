// Single-connection SSE (/graphql/stream): a reservation belongs to whoever made it, tokens come
// from the server, reservations and their operations are capped, expire and are freed, and a
// client that does not read is ended as too slow instead of queued for without bound.
import { request as httpRequest } from 'node:http';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ShelfwireServer } from '../../server/app.ts';
import { gqlOk, opened, serverPerFile, subscribe, tokenFor, until } from '../support.ts';
import { whenCaughtUp } from '../feedWaiters.ts';

const tokenHeader = 'x-graphql-event-stream-token';
const bookChanged = 'subscription { bookChanged { cursor book { title } } }';
const bookingChanged = 'subscription { bookingChanged { bookingId } }';

let admin: string;
let alice: string;
let bob: string;
beforeAll(async () => {
  admin = await tokenFor('root', 'admin');
  alice = await tokenFor('alice');
  bob = await tokenFor('bob');
});

const auth = (token?: string): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

/** The raw protocol, request by request, as a hostile or careless client can send it. */
function rawClient(server: ShelfwireServer) {
  const url = `${server.url}/stream`;
  return {
    reserve: (token?: string, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'PUT', headers: { ...auth(token), ...headers } }),
    async reserved(token?: string): Promise<string> {
      const response = await this.reserve(token);
      expect(response.status).toBe(201);
      return response.text();
    },
    connect: (reservation: string, token?: string, signal?: AbortSignal) =>
      fetch(url, {
        headers: { ...auth(token), [tokenHeader]: reservation, accept: 'text/event-stream' },
        signal,
      }),
    start: (reservation: string, operationId: string, query: string, token?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { ...auth(token), [tokenHeader]: reservation, 'content-type': 'application/json' },
        body: JSON.stringify({ query, extensions: { operationId } }),
      }),
    stop: (reservation: string, operationId: string, token?: string) =>
      fetch(`${url}?operationId=${operationId}`, {
        method: 'DELETE',
        headers: { ...auth(token), [tokenHeader]: reservation },
      }),
  };
}

/** The status and error code of a refused request. */
async function refusal(response: Response) {
  const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
  return { status: response.status, code: body.errors[0]!.extensions.code };
}

interface StreamEvent {
  event: string;
  data: any;
}

/** Parses SSE text into its events, comments (keep-alives) left out. */
function parseEvents(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      return { event, data: data ? JSON.parse(data) : null };
    });
}

/** Reads an open stream's events one at a time. */
function eventsOf(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const ready: StreamEvent[] = [];
  return {
    async next(): Promise<StreamEvent> {
      while (ready.length === 0) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += value;
        const end = text.lastIndexOf('\n\n');
        if (end < 0) continue;
        ready.push(...parseEvents(text.slice(0, end + 2)));
        text = text.slice(end + 2);
      }
      return ready.shift()!;
    },
    cancel: () => reader.cancel(),
  };
}

describe('with the default reservation window', () => {
  const fixture = serverPerFile({
    SUBSCRIBER_BUFFER_SIZE: '8',
    MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
  });
  const raw = () => rawClient(fixture.server);
  const subscribers = () => fixture.server.changes.subscriberCount;
  const insertBook = (title: string, description: string | null = null) =>
    fixture.database.sql.query(
      "INSERT INTO books (title, author, copies, description) VALUES ($1, 'Stream', 1, $2)",
      [title, description],
    );

  test('only the user who reserved a stream may open it, add operations to it or stop them', async () => {
    const reservation = await raw().reserved(alice);

    // Someone holding the token but not Alice's credentials cannot read her stream.
    expect(await refusal(await raw().connect(reservation))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await refusal(await raw().connect(reservation, bob))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });

    const stream = await raw().connect(reservation, alice);
    expect(stream.status).toBe(200);
    const events = eventsOf(stream);
    expect((await raw().start(reservation, 'mine', bookingChanged, alice)).status).toBe(202);
    // Bob can neither feed operations into Alice's stream nor stop hers.
    expect(await refusal(await raw().start(reservation, 'bobs', bookChanged, bob))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await refusal(await raw().stop(reservation, 'mine'))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await refusal(await raw().stop(reservation, 'mine', bob))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });

    // Alice's operation is still running and still hers alone.
    const bookId = (
      await gqlOk(
        fixture.server,
        'mutation { createBook(input: { title: "Owned", author: "A", copies: 1 }) { id } }',
        {},
        admin,
      )
    ).createBook.id;
    const soon = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    const { createBooking } = await gqlOk(
      fixture.server,
      'mutation ($input: CreateBookingInput!) { createBooking(input: $input) { id } }',
      { input: { bookId, startsAt: soon(1), endsAt: soon(2) } },
      alice,
    );
    expect(await events.next()).toEqual({
      event: 'next',
      data: { id: 'mine', payload: { data: { bookingChanged: { bookingId: createBooking.id } } } },
    });
    expect((await raw().stop(reservation, 'mine', alice)).status).toBe(200);
    await events.cancel();
    await until(() => subscribers() === 0, 'the stream is released');
  });

  test('an anonymous reservation belongs to its address: a signed-in user may not take it over', async () => {
    const reservation = await raw().reserved();
    expect(await refusal(await raw().connect(reservation, bob))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await refusal(await raw().start(reservation, '1', bookChanged, bob))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const stream = await raw().connect(reservation);
    expect(stream.status).toBe(200);
    await stream.body!.cancel();
  });

  test('the server chooses every token, at random; a token the client proposes is ignored', async () => {
    const proposed = await raw().reserve(undefined, { [tokenHeader]: 'aaaa' });
    const viaQuery = await fetch(`${fixture.server.url}/stream?token=bbbb`, { method: 'PUT' });
    const tokens = [await proposed.text(), await viaQuery.text(), await raw().reserved()];
    expect([proposed.status, viaQuery.status]).toEqual([201, 201]);
    expect(tokens).not.toContain('aaaa');
    expect(tokens).not.toContain('bbbb');
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) expect(token).toMatch(/^[\w-]{32,}$/);
    // Nothing answers to the proposed token.
    expect((await raw().connect('aaaa')).status).toBe(404);
    expect((await raw().start('aaaa', '1', bookChanged)).status).toBe(404);
  });

  test('a reservation takes at most MAX_SUBSCRIPTIONS_PER_CONNECTION operations; stopping one frees its place', async () => {
    const reservation = await raw().reserved(bob);
    const stream = await raw().connect(reservation, bob);
    for (const id of ['1', '2', '3']) {
      expect((await raw().start(reservation, id, bookChanged, bob)).status).toBe(202);
    }
    expect(await refusal(await raw().start(reservation, '4', bookChanged, bob))).toEqual({
      status: 429,
      code: 'LIMIT_EXCEEDED',
    });
    expect(subscribers()).toBe(3);
    expect((await raw().stop(reservation, '2', bob)).status).toBe(200);
    await until(() => subscribers() === 2, 'the stopped operation is released');
    expect((await raw().start(reservation, '4', bookChanged, bob)).status).toBe(202);
    await stream.body!.cancel();
    await until(() => subscribers() === 0, 'the stream is released');
  });

  test('closing the stream frees the reservation and ends all its operations', async () => {
    const reservation = await raw().reserved(bob);
    const closing = new AbortController();
    const stream = await raw().connect(reservation, bob, closing.signal);
    expect(stream.status).toBe(200);
    await raw().start(reservation, 'a', bookChanged, bob);
    await raw().start(reservation, 'b', bookingChanged, bob);
    expect(subscribers()).toBe(2);
    closing.abort();
    await until(() => subscribers() === 0, 'both operations are released');
    expect((await raw().connect(reservation, bob)).status).toBe(404);
    expect((await raw().start(reservation, 'c', bookChanged, bob)).status).toBe(404);
  });

  test('events for a reservation that never connects do not pile up: its subscription ends with SLOW_CONSUMER', async () => {
    const reservation = await raw().reserved(bob);
    expect((await raw().start(reservation, 'waiting', bookChanged, bob)).status).toBe(202);
    expect(subscribers()).toBe(1);
    let changes = 0;
    for (; changes < 100 && subscribers() > 0; changes++) {
      await insertBook(`unread ${changes}`);
      await whenCaughtUp(fixture.server.changes, fixture.server.pool);
    }
    // SUBSCRIBER_BUFFER_SIZE is 8: the ninth change waiting overflows it, or the tenth when the
    // response stream had already pulled one result into its own one-item queue.
    expect(subscribers()).toBe(0);
    expect(changes).toBeGreaterThanOrEqual(9);
    expect(changes).toBeLessThanOrEqual(10);

    // Connecting late, the client learns why its subscription ended, and that it did.
    const events = eventsOf(await raw().connect(reservation, bob));
    const received = [await events.next(), await events.next()];
    expect(received.map((event) => event.event)).toEqual(['next', 'complete']);
    expect(received[0]!.data.payload.errors[0].extensions.code).toBe('SLOW_CONSUMER');
    expect(received[1]!.data).toEqual({ id: 'waiting' });
    await events.cancel();
  });

  test('a client that stops reading its stream is ended with SLOW_CONSUMER, not buffered without bound', async () => {
    const description = '慢'.repeat(6_000); // ~18 kB, every change asked for 8 times: ~150 kB
    const copies = Array.from({ length: 8 }, (_, i) => `d${i}: description`).join(' ');
    const reservation = await raw().reserved(bob);
    // A Node request, so the reading can be paused: the socket then fills and stays full.
    const received: Buffer[] = [];
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const request = httpRequest(`${fixture.server.url}/stream`, {
        headers: { ...auth(bob), [tokenHeader]: reservation, accept: 'text/event-stream' },
      });
      request.once('response', resolve).once('error', reject).end();
    });
    expect(response.statusCode).toBe(200);
    response.pause();
    const stalled = await raw().start(
      reservation,
      'stalled',
      `subscription { bookChanged { cursor book { ${copies} } } }`,
      bob,
    );
    expect(stalled.status).toBe(202);

    let changes = 0;
    for (; changes < 500 && subscribers() > 0; changes++) {
      await insertBook(`heavy ${changes}`, description);
      await whenCaughtUp(fixture.server.changes, fixture.server.pool);
    }
    expect(subscribers()).toBe(0);
    expect(changes).toBeLessThan(500);

    // Once it reads again, what was in flight arrives, then the reason it ended.
    response.on('data', (chunk: Buffer) => received.push(chunk));
    response.resume();
    const text = () => Buffer.concat(received).toString();
    await until(() => text().includes('event: complete'), 'the operation completes');
    const events = parseEvents(text());
    expect(events.at(-1)).toEqual({ event: 'complete', data: { id: 'stalled' } });
    const last = events.at(-2)!;
    expect(last.data.payload.errors[0].extensions.code).toBe('SLOW_CONSUMER');
    expect(events.length - 2).toBeLessThan(changes);
    response.destroy();
  });

  test('the graphql-sse client in single-connection mode receives its changes, signed in or not, and leaves nothing behind', async () => {
    const [anonymous, signedIn] = await opened(fixture.server, () => [
      subscribe(fixture.server, 'sse-single', bookChanged),
      subscribe(fixture.server, 'sse-single', bookChanged, {}, bob),
    ]);
    await insertBook('for everyone');
    expect((await anonymous!.next()).data?.bookChanged.book.title).toBe('for everyone');
    expect((await signedIn!.next()).data?.bookChanged.book.title).toBe('for everyone');
    await anonymous!.close();
    await signedIn!.close();
    await until(() => subscribers() === 0, 'every subscription is released');
  });

  test('an operation that does not parse fails alone, as a result on the stream', async () => {
    const broken = subscribe(fixture.server, 'sse-single', 'subscription { bookChanged {');
    expect(JSON.stringify(await broken.refused)).toContain('Syntax Error');
    await broken.completed;
    await broken.close();
  });
});

describe('with a short reservation window', () => {
  const fixture = serverPerFile({
    SSE_RESERVATION_CONNECT_MS: '300',
    SSE_RESERVATIONS_PER_VIEWER: '3',
  });
  const raw = () => rawClient(fixture.server);

  test('a reservation not connected in time expires, and its operations are ended', async () => {
    const reservation = await raw().reserved(alice);
    expect((await raw().start(reservation, 'early', bookChanged, alice)).status).toBe(202);
    expect(fixture.server.changes.subscriberCount).toBe(1);
    await until(() => fixture.server.changes.subscriberCount === 0, 'the reservation expires');
    expect((await raw().connect(reservation, alice)).status).toBe(404);
  });

  test('an operation whose body arrives after its reservation expired is refused and leaves no subscription', async () => {
    const reservation = await raw().reserved(alice);
    const body = JSON.stringify({ query: bookChanged, extensions: { operationId: 'slow' } });
    const url = new URL(`${fixture.server.url}/stream`);
    const answer = new Promise<number>((resolve, reject) => {
      const posting = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            ...auth(alice),
            [tokenHeader]: reservation,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      ).on('error', reject);
      posting.write(body.slice(0, 10));
      // The rest is sent once the reservation has expired (a DELETE asks without connecting it).
      void (async () => {
        for (
          let tries = 0;
          (await raw().stop(reservation, 'none', alice)).status !== 404;
          tries++
        ) {
          expect(tries).toBeLessThan(200);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        posting.end(body.slice(10));
      })();
    });
    expect(await answer).toBe(404);
    expect(fixture.server.changes.subscriberCount).toBe(0);
  });

  test('a viewer holds at most SSE_RESERVATIONS_PER_VIEWER reservations; expired ones free their places', async () => {
    for (let i = 0; i < 3; i++) await raw().reserved(bob);
    expect(await refusal(await raw().reserve(bob))).toEqual({
      status: 429,
      code: 'LIMIT_EXCEEDED',
    });
    // Per viewer: another user, and anonymous clients, have places of their own.
    await raw().reserved(alice);
    await raw().reserved();
    // Each attempt is one request; there is no event to await for an expiry.
    for (let attempt = 0; (await raw().reserve(bob)).status !== 201; attempt++) {
      expect(attempt).toBeLessThan(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
});
