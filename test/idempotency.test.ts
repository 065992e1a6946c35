// Idempotency-Key: a retried mutation runs once and answers as the first time, on any instance.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ShelfwireServer } from '../server/app.ts';
import { operationHash } from '../server/http/idempotency.ts';
import { encodeGlobalId } from '../server/schema/globalId.ts';
import {
  type TestDatabase,
  createTestDatabase,
  startTestServer,
  tokenFor,
  until,
} from './support.ts';

let database: TestDatabase;
let one: ShelfwireServer;
let two: ShelfwireServer;
/** A third instance with a short request deadline, so a wait for a held claim ends quickly. */
let impatient: ShelfwireServer;
let admin: string;

beforeAll(async () => {
  database = await createTestDatabase();
  [one, two, impatient] = await Promise.all([
    startTestServer(database),
    startTestServer(database),
    startTestServer(database, { REQUEST_TIMEOUT_MS: '200' }),
  ]);
  admin = await tokenFor('idempotent-admin', 'admin');
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close(), impatient?.close()]);
  await database?.drop();
});

const createBook =
  'mutation ($title: String!) { createBook(input: { title: $title, author: "Retry", copies: 1 }) { id title } }';

interface Answer {
  status: number;
  replayed: boolean;
  retryAfter: string | null;
  text: string;
  json: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };
}

/** A GraphQL POST as an integrator sends it, with the headers given. */
async function post(
  server: ShelfwireServer,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    retryAfter: response.headers.get('retry-after'),
    text,
    json: JSON.parse(text) as Answer['json'],
  };
}

const signedIn = (token: string, key: string) => ({
  authorization: `Bearer ${token}`,
  'idempotency-key': key,
});

const newBook = (server: ShelfwireServer, title: string, key: string, token = admin) =>
  post(server, { query: createBook, variables: { title } }, signedIn(token, key));

const booksTitled = async (title: string) =>
  (
    await database.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM books WHERE title = $1',
      [title],
    )
  ).rows[0]!.n;

const codeOf = (answer: Answer) => answer.json.errors?.[0]?.extensions?.code;

test('a retried createBook with the same key creates one book and answers with the first body and status', async () => {
  const first = await newBook(one, 'Retried once', 'retry-1');
  const retry = await newBook(one, 'Retried once', 'retry-1');
  expect(first.status).toBe(200);
  expect(first.json.data?.createBook.title).toBe('Retried once');
  expect(first.replayed).toBe(false);
  expect(retry.replayed).toBe(true);
  expect(retry.status).toBe(first.status);
  expect(retry.text).toBe(first.text);
  expect(await booksTitled('Retried once')).toBe(1);
});

test('the key with the variables in another key order is the same operation', async () => {
  const query =
    'mutation ($title: String!, $author: String!) { createBook(input: { title: $title, author: $author, copies: 1 }) { id } }';
  const first = await post(
    one,
    { query, variables: { title: 'Key order', author: 'A' } },
    signedIn(admin, 'key-order'),
  );
  const retry = await post(
    one,
    { query, variables: { author: 'A', title: 'Key order' } },
    signedIn(admin, 'key-order'),
  );
  expect(retry.replayed).toBe(true);
  expect(retry.text).toBe(first.text);
  expect(await booksTitled('Key order')).toBe(1);
});

test('the same key with another operation is BAD_REQUEST (HTTP 422) and runs nothing', async () => {
  await newBook(one, 'First operation', 'reused');
  const other = await newBook(one, 'Other operation', 'reused');
  expect(other.status).toBe(422);
  expect(codeOf(other)).toBe('BAD_REQUEST');
  expect(await booksTitled('Other operation')).toBe(0);
});

describe('two requests at once with one key: one runs, the other waits for its answer', () => {
  test('on one instance', async () => {
    const answers = await Promise.all([
      newBook(one, 'At once', 'at-once'),
      newBook(one, 'At once', 'at-once'),
    ]);
    expect(await booksTitled('At once')).toBe(1);
    expect(answers[0]!.text).toBe(answers[1]!.text);
    expect(answers.map((answer) => answer.replayed).sort()).toEqual([false, true]);
  });

  test('on two instances of one database', async () => {
    const answers = await Promise.all([
      newBook(one, 'At once, apart', 'at-once-apart'),
      newBook(two, 'At once, apart', 'at-once-apart'),
    ]);
    expect(await booksTitled('At once, apart')).toBe(1);
    expect(answers[0]!.text).toBe(answers[1]!.text);
    expect(answers.map((answer) => answer.replayed).sort()).toEqual([false, true]);
  });
});

test('a retry on another instance gets the answer the first instance stored', async () => {
  const first = await newBook(one, 'Elsewhere', 'elsewhere');
  const retry = await newBook(two, 'Elsewhere', 'elsewhere');
  expect(retry.replayed).toBe(true);
  expect(retry.text).toBe(first.text);
  expect(await booksTitled('Elsewhere')).toBe(1);
});

test("another user's same key is independent of it", async () => {
  const other = await tokenFor('another-admin', 'admin');
  const mine = await newBook(one, 'Shared key', 'shared');
  const theirs = await newBook(one, 'Shared key', 'shared', other);
  expect(theirs.replayed).toBe(false);
  expect(theirs.json.data?.createBook.id).not.toBe(mine.json.data?.createBook.id);
  expect(await booksTitled('Shared key')).toBe(2);
});

test.each([
  ['empty', ''],
  ['over 200 characters', 'k'.repeat(201)],
  ['not printable ASCII', 'caf\u00e9'],
  ['a tab inside', 'a\tb'],
])('a key that is %s is BAD_REQUEST (HTTP 400) before anything runs', async (_what, key) => {
  const title = `Malformed ${randomUUID()}`;
  const answer = await newBook(one, title, key);
  expect(answer.status).toBe(400);
  expect(codeOf(answer)).toBe('BAD_REQUEST');
  expect(await booksTitled(title)).toBe(0);
});

test('a key of 200 printable characters is taken', async () => {
  const answer = await newBook(one, 'Long key', `${'k'.repeat(199)}~`);
  expect(answer.json.data?.createBook.title).toBe('Long key');
});

test('queries ignore the header and leave the key free for a mutation', async () => {
  const query = 'query { viewer { userId } }';
  const answers = [
    await post(one, { query }, signedIn(admin, 'after-query')),
    await post(one, { query }, signedIn(admin, 'after-query')),
  ];
  expect(answers.map((answer) => answer.replayed)).toEqual([false, false]);
  expect((await newBook(one, 'After a query', 'after-query')).json.data?.createBook).toBeTruthy();
});

test('a mutation asking for an event stream with a key is BAD_REQUEST: its answer could not be replayed', async () => {
  const answer = await post(
    one,
    { query: createBook, variables: { title: 'As a stream' } },
    { ...signedIn(admin, 'stream'), accept: 'text/event-stream' },
  );
  expect(answer.status).toBe(400);
  expect(codeOf(answer)).toBe('BAD_REQUEST');
  expect(await booksTitled('As a stream')).toBe(0);
});

test('an anonymous request runs as without the header and stores nothing', async () => {
  const answer = await post(
    one,
    { query: createBook, variables: { title: 'Anonymous' } },
    { 'idempotency-key': 'anonymous' },
  );
  expect(codeOf(answer)).toBe('UNAUTHENTICATED');
  const { rows } = await database.sql.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [
    'anonymous',
  ]);
  expect(rows).toHaveLength(0);
});

test('a refusal that wrote nothing (FORBIDDEN) is not kept: the retry, now allowed, runs', async () => {
  const asUser = await newBook(one, 'Promoted', 'promoted', await tokenFor('promoted'));
  expect(codeOf(asUser)).toBe('FORBIDDEN');
  const asAdmin = await newBook(one, 'Promoted', 'promoted', await tokenFor('promoted', 'admin'));
  expect(asAdmin.replayed).toBe(false);
  expect(asAdmin.json.data?.createBook.title).toBe('Promoted');
});

test('a domain error is kept like a success: the retry gets it again without running', async () => {
  const query = 'mutation ($id: ID!) { deleteBook(id: $id) }';
  const variables = { id: encodeGlobalId('Book', randomUUID()) };
  const first = await post(one, { query, variables }, signedIn(admin, 'not-found'));
  const retry = await post(one, { query, variables }, signedIn(admin, 'not-found'));
  expect(codeOf(first)).toBe('NOT_FOUND');
  expect(retry.replayed).toBe(true);
  expect(retry.text).toBe(first.text);
});

describe('a claim left by a request that has not answered', () => {
  /** A claim of `createBook` with `title` under the admin's key, as a running request leaves it. */
  const claimed = (key: string, title: string, leaseUntil: string) =>
    database.sql.query(
      `INSERT INTO idempotency_keys (owner_id, key, request_hash, claim, lease_until)
       VALUES ('user:idempotent-admin', $1, $2, gen_random_uuid(), ${leaseUntil})`,
      [key, operationHash({ query: createBook, variables: { title } })],
    );

  test('while its lease lasts, a retry waits up to the request deadline, then gets IDEMPOTENCY_CONFLICT (HTTP 409)', async () => {
    await claimed('held', 'Held', "now() + interval '1 hour'");
    const answer = await newBook(impatient, 'Held', 'held');
    expect(answer.status).toBe(409);
    expect(codeOf(answer)).toBe('IDEMPOTENCY_CONFLICT');
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    expect(await booksTitled('Held')).toBe(0);
  });

  test('once its lease has run out (its process died), a retry runs the mutation', async () => {
    await claimed('lapsed', 'Lapsed', "now() - interval '1 second'");
    const answer = await newBook(one, 'Lapsed', 'lapsed');
    expect(answer.replayed).toBe(false);
    expect(answer.json.data?.createBook.title).toBe('Lapsed');
    expect(await booksTitled('Lapsed')).toBe(1);
  });

  test('at most four retries of one key wait for its answer; more are told IDEMPOTENCY_CONFLICT at once', async () => {
    await claimed('crowded', 'Crowded', "now() + interval '1 hour'");
    const answered: Answer[] = [];
    const retries = Array.from({ length: 6 }, () =>
      newBook(one, 'Crowded', 'crowded').then((answer) => {
        answered.push(answer);
        return answer;
      }),
    );
    // Two are turned away at once, while four wait.
    await until(() => answered.length === 2, 'two retries are turned away');
    expect(answered.map(codeOf)).toEqual(['IDEMPOTENCY_CONFLICT', 'IDEMPOTENCY_CONFLICT']);
    // The first request answers: every waiting retry gets its answer.
    await database.sql.query(
      `UPDATE idempotency_keys SET status = 200, content_type = 'application/json', body = $1
       WHERE key = 'crowded'`,
      [JSON.stringify({ data: { createBook: { id: 'x', title: 'Crowded' } } })],
    );
    const all = await Promise.all(retries);
    expect(all.filter((answer) => answer.replayed)).toHaveLength(4);
    expect(await booksTitled('Crowded')).toBe(0);
  });

  test('a lapsed claim of another operation still holds its key for that operation', async () => {
    await claimed('lapsed-other', 'Lapsed first', "now() - interval '1 second'");
    const answer = await newBook(one, 'Lapsed second', 'lapsed-other');
    expect(codeOf(answer)).toBe('BAD_REQUEST');
    expect(await booksTitled('Lapsed second')).toBe(0);
  });
});

test('a key whose answer is over 24 hours old runs again', async () => {
  const first = await newBook(one, 'Yesterday', 'yesterday');
  await database.sql.query(
    `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'yesterday'`,
  );
  const again = await newBook(one, 'Yesterday', 'yesterday');
  expect(again.replayed).toBe(false);
  expect(again.json.data?.createBook.id).not.toBe(first.json.data?.createBook.id);
  expect(await booksTitled('Yesterday')).toBe(2);
});

test('a mutation that outlasts the lease keeps its key: a retry meanwhile waits, and it runs once', async () => {
  const { createBook: book } = (await newBook(one, 'Slow to change', randomUUID())).json.data!;
  const rowId = Buffer.from(book.id, 'base64url').toString().split(':')[1];
  const blocker = new pg.Client(database.url);
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('SELECT 1 FROM books WHERE id = $1 FOR UPDATE', [rowId]);
  const update = {
    query: 'mutation ($id: ID!) { updateBook(id: $id, input: { copies: 5 }) { copies } }',
    variables: { id: book.id },
  };
  // Blocked on the row lock, past its 200 ms lease: the lease is renewed while it waits.
  const first = post(impatient, update, signedIn(admin, 'outlasting'));
  const leaseOf = async () =>
    (
      await database.sql.query<{ until: Date }>(
        "SELECT lease_until AS until FROM idempotency_keys WHERE key = 'outlasting'",
      )
    ).rows[0]?.until.getTime();
  let claimedUntil: number | undefined;
  await until(async () => (claimedUntil ??= await leaseOf()) !== undefined, 'the key is claimed');
  await until(async () => (await leaseOf())! > claimedUntil! + 150, 'the lease is renewed');

  const retried = await post(impatient, update, signedIn(admin, 'outlasting'));
  expect(codeOf(retried)).toBe('IDEMPOTENCY_CONFLICT');
  await blocker.query('COMMIT');
  await blocker.end();
  expect((await first).json.data?.updateBook.copies).toBe(5);
  expect((await post(impatient, update, signedIn(admin, 'outlasting'))).replayed).toBe(true);
  const { rows } = await database.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM change_log WHERE entity_id = $1 AND 'copies' = ANY(changed_fields) AND kind = 'UPDATED'",
    [rowId],
  );
  expect(rows[0]!.n).toBe(1);
});
