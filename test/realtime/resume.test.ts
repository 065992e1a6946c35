import { describe, expect, test } from 'vitest';
import { pruneChangeLog } from '../../server/realtime/changeLog.ts';
import { opened, serverPerFile, subscribe, transports } from '../support.ts';
import { whenCaughtUp } from '../feedWaiters.ts';

const fixture = serverPerFile();

const bookChanged =
  'subscription ($after: String) { bookChanged(after: $after) { cursor kind book { title copies } } }';

async function newBook(title: string): Promise<string> {
  const { rows } = await fixture.database.sql.query(
    "INSERT INTO books (title, author, copies) VALUES ($1, 'Resumer', 1) RETURNING id",
    [title],
  );
  return rows[0].id;
}

describe.each(transports)('resuming over %s', (transport) => {
  test('a resumed subscription receives exactly the missed changes, in order, then live ones', async () => {
    const [first] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanged),
    ]);
    await newBook(`${transport} seen`);
    const seen = (await first!.next()).data!.bookChanged;
    await first!.close();

    for (const title of ['missed 1', 'missed 2', 'missed 3'])
      await newBook(`${transport} ${title}`);
    const [resumed] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanged, { after: seen.cursor }),
    ]);
    const replayed: any[] = [];
    for (let i = 0; i < 3; i++) replayed.push((await resumed!.next()).data!.bookChanged);
    expect(replayed.map((change) => change.book.title)).toEqual([
      `${transport} missed 1`,
      `${transport} missed 2`,
      `${transport} missed 3`,
    ]);
    await newBook(`${transport} live`);
    expect((await resumed!.next()).data!.bookChanged.book.title).toBe(`${transport} live`);
    await resumed!.close();
  });
});

test('a cursor that is not one of ours is BAD_USER_INPUT', async () => {
  const subscription = subscribe(fixture.server, 'ws', bookChanged, { after: 'not-a-cursor' });
  expect((await subscription.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  await subscription.close();
});

test('overlapping writers: a change committed after a newer one is still delivered before it, so resuming never skips it', async () => {
  const [live] = await opened(fixture.server, () => [subscribe(fixture.server, 'ws', bookChanged)]);
  const older = await fixture.database.sql.connect();
  const newer = await fixture.database.sql.connect();
  try {
    await older.query('BEGIN');
    await older.query(
      "INSERT INTO books (title, author, copies) VALUES ('older transaction', 'W', 1)",
    );
    await newer.query('BEGIN');
    await newer.query(
      "INSERT INTO books (title, author, copies) VALUES ('newer transaction', 'W', 1)",
    );
    await newer.query('COMMIT'); // commits first...
    await newBook('third, after both began'); // ...and so does this one
    await older.query('COMMIT'); // ...but this one began first
  } finally {
    older.release();
    newer.release();
  }
  const delivered: any[] = [];
  for (let i = 0; i < 3; i++) delivered.push((await live!.next()).data!.bookChanged);
  // The newer commits waited for the older transaction: whoever saw them has also seen it.
  expect(delivered.map((change) => change.book.title)).toEqual([
    'older transaction',
    'newer transaction',
    'third, after both began',
  ]);
  await live!.close();

  const [fromOldest] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'sse-single', bookChanged, { after: delivered[0].cursor }),
  ]);
  expect((await fromOldest!.next()).data!.bookChanged.book.title).toBe('newer transaction');
  expect((await fromOldest!.next()).data!.bookChanged.book.title).toBe('third, after both began');
  await fromOldest!.close();
});

test('many concurrent writers: a client that keeps reconnecting by cursor gets every change exactly once, in log order', async () => {
  const books = await Promise.all(Array.from({ length: 5 }, (_, i) => newBook(`contended ${i}`)));
  const writers = 8;
  const transactionsPerWriter = 15;
  // Start from the cursor of a marker change made before the writers begin.
  const [marker] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged),
  ]);
  await newBook('start marker');
  const startCursor = (await marker!.next()).data!.bookChanged.cursor;
  await marker!.close();

  const write = async (writer: number) => {
    for (let i = 0; i < transactionsPerWriter; i++) {
      const client = await fixture.database.sql.connect();
      try {
        await client.query('BEGIN');
        await client.query('UPDATE books SET copies = copies + 1 WHERE id = $1', [
          books[(writer + i) % books.length],
        ]);
        // Hold the transaction open a little so transactions overlap in every order.
        await new Promise((resolve) => setImmediate(resolve));
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
  };
  const writing = Promise.all(Array.from({ length: writers }, (_, writer) => write(writer)));

  const received: string[] = [];
  let cursor = startCursor;
  const expected = writers * transactionsPerWriter;
  while (received.length < expected) {
    // Reconnect every few changes, alternating transports, always from the last cursor.
    const transport = transports[received.length % transports.length]!;
    const [subscription] = await opened(fixture.server, () => [
      subscribe(fixture.server, transport, bookChanged, { after: cursor }),
    ]);
    for (let i = 0; i < 7 && received.length < expected; i++) {
      const change = (await subscription!.next()).data!.bookChanged;
      received.push(change.cursor);
      cursor = change.cursor;
    }
    await subscription!.close();
  }
  await writing;

  const { rows } = await fixture.database.sql.query(
    `SELECT c.tx::text, c.seq::text FROM change_log c WHERE entity = 'book' AND kind = 'UPDATED'
     ORDER BY c.tx, c.seq`,
  );
  const logCursors = rows.map((row) => Buffer.from(`${row.tx}.${row.seq}`).toString('base64url'));
  expect(received).toEqual(logCursors.slice(-expected));
  expect(new Set(received).size).toBe(expected);
});

test('a cursor older than the retained log gets CURSOR_EXPIRED; the oldest kept cursor still resumes', async () => {
  const [first] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged),
  ]);
  await newBook('soon forgotten');
  await newBook('the horizon');
  const forgotten = (await first!.next()).data!.bookChanged.cursor;
  const horizon = (await first!.next()).data!.bookChanged.cursor;
  await first!.close();
  await fixture.database.sql.query("UPDATE change_log SET at = now() - interval '2 days'");
  expect(await pruneChangeLog(fixture.database.sql, '1 day')).toBeGreaterThan(0);

  for (const transport of transports) {
    const expired = subscribe(fixture.server, transport, bookChanged, { after: forgotten });
    expect((await expired.next()).errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
    await expired.close();
  }
  const [kept] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged, { after: horizon }),
  ]);
  await newBook('after pruning');
  expect((await kept!.next()).data!.bookChanged.book.title).toBe('after pruning');
  await kept!.close();
});

test('subscribers resuming from one cursor at once share the log reads, and each gets every missed change once', async () => {
  const [first] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', bookChanged),
  ]);
  await newBook('shared seen');
  const seen = (await first!.next()).data!.bookChanged;
  await first!.close();
  const missed = ['shared 1', 'shared 2', 'shared 3', 'shared 4', 'shared 5'];
  for (const title of missed) await newBook(title);
  await whenCaughtUp(fixture.server.changes, fixture.server.pool);

  let replayReads = 0;
  const countRead = ({ purpose }: { purpose: string }) => {
    if (purpose === 'replay') replayReads += 1;
  };
  fixture.server.changes.events.on('logRead', countRead);
  try {
    const resumers = 30;
    const resumed = await opened(fixture.server, () =>
      Array.from({ length: resumers }, (_, i) =>
        subscribe(fixture.server, transports[i % transports.length]!, bookChanged, {
          after: seen.cursor,
        }),
      ),
    );
    for (const subscription of resumed) {
      const titles: string[] = [];
      while (titles.length < missed.length) {
        titles.push((await subscription!.next()).data!.bookChanged.book.title);
      }
      expect(titles).toEqual(missed);
    }
    // One page, with the five changes up to the feed's watermark, for all thirty.
    expect(replayReads).toBe(1);
    await newBook('shared live');
    for (const subscription of resumed) {
      expect((await subscription!.next()).data!.bookChanged.book.title).toBe('shared live');
      await subscription!.close();
    }
  } finally {
    fixture.server.changes.events.off('logRead', countRead);
  }
});
