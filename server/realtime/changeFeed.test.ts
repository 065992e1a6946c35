import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, createTestDatabase } from '../../test/support.ts';
import { DomainError } from '../errors.ts';
import { committedHead, pruneChangeLog } from './changeLog.ts';
import { ChangeFeed } from './changeFeed.ts';
import type { ChangeStream } from './changeStream.ts';
import { whenCaughtUp } from '../../test/feedWaiters.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** A real pool whose next read of changed books waits at a gate: to hold publish() mid-way. */
function gatedPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let gate: { reached: () => void; opened: Promise<void> } | null = null;
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: typeof query }).query = async (...args: unknown[]) => {
    const held = gate;
    if (held && typeof args[0] === 'string' && args[0].includes('FROM books b WHERE b.id = ANY')) {
      gate = null;
      held.reached();
      await held.opened;
    }
    return query(...args);
  };
  return {
    pool,
    /** Holds the next changed-rows read; resolves `reached` when it is held. */
    hold() {
      let open!: () => void;
      let reached!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      gate = { reached, opened: new Promise<void>((resolve) => (open = resolve)) };
      return { atGate, open };
    },
  };
}

const titles = async (stream: ChangeStream, count: number) => {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const { value } = await stream.next();
    if (!value || value instanceof DomainError) throw new Error(`stream ended: ${String(value)}`);
    seen.push(`${value.kind} ${value.book?.title}`);
  }
  return seen;
};

test('a subscriber that finishes catching up while a batch is being published still gets that batch', async () => {
  const { pool, hold } = gatedPool(database.url);
  const feed = new ChangeFeed({ pool, connectionString: database.url, subscriberBufferSize: 100 });
  await feed.start();
  try {
    const { rows } = await pool.query(
      "INSERT INTO books (title, author, copies) VALUES ('A', 'x', 1) RETURNING id",
    );
    await whenCaughtUp(feed, pool);
    // One live subscriber wants only book A; the other resumes from the current head.
    const watchingA = await feed.subscribe({ entity: 'book', entityId: rows[0].id });
    const resuming = await feed.subscribe(
      { entity: 'book' },
      { after: (await committedHead(pool))! },
    );

    const { atGate, open } = hold();
    const writer = await pool.connect();
    await writer.query('BEGIN');
    await writer.query("UPDATE books SET title = 'A2' WHERE id = $1", [rows[0].id]);
    await writer.query("INSERT INTO books (title, author, copies) VALUES ('B', 'x', 1)");
    await writer.query('COMMIT');
    writer.release();
    await atGate; // publish() has read the batch and waits for its rows

    const caughtUp = titles(resuming, 2); // catches up now, in the middle of that publish
    open();
    expect(await caughtUp).toEqual(['UPDATED A2', 'CREATED B']);
    await pool.query("INSERT INTO books (title, author, copies) VALUES ('C', 'x', 1)");
    expect(await titles(resuming, 1)).toEqual(['CREATED C']);
    expect(await titles(watchingA, 1)).toEqual(['UPDATED A2']);
  } finally {
    await feed.close();
    await pool.end();
  }
});

test('changes pruned while a subscriber is still catching up end it with CURSOR_EXPIRED, not a silent gap', async () => {
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const feed = new ChangeFeed({ pool, connectionString: database.url, subscriberBufferSize: 100 });
  await feed.start();
  try {
    await whenCaughtUp(feed, pool);
    const from = (await committedHead(pool))!;
    for (const title of ['one', 'two', 'three']) {
      await pool.query("INSERT INTO books (title, author, copies) VALUES ($1, 'x', 1)", [title]);
    }
    await whenCaughtUp(feed, pool);
    const resuming = await feed.subscribe({ entity: 'book' }, { after: from });
    await pool.query("UPDATE change_log SET at = now() - interval '2 days'");
    await pruneChangeLog(pool, '1 day');
    const { value } = await resuming.next();
    expect(value).toBeInstanceOf(DomainError);
    expect((value as DomainError).extensions.code).toBe('CURSOR_EXPIRED');
  } finally {
    await feed.close();
    await pool.end();
  }
});

test('subscribers starting together share one read of the head, read again once a commit is notified', async () => {
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // No polling: only the commit's notification may make the feed read, and forget the head.
  const feed = new ChangeFeed({
    pool,
    connectionString: database.url,
    subscriberBufferSize: 100,
    tuning: { pollIntervalMs: 600_000, headReuseMs: 600_000 },
  });
  await feed.start();
  let headReads = 0;
  feed.events.on('logRead', ({ purpose }) => {
    if (purpose === 'head') headReads += 1;
  });
  const streams: ChangeStream[] = [];
  const subscribe = async (count: number) => {
    const opened = Array.from({ length: count }, () => feed.subscribe({ entity: 'book' }));
    streams.push(...(await Promise.all(opened)));
  };
  try {
    await whenCaughtUp(feed, pool);
    await subscribe(50);
    await subscribe(50);
    expect(headReads).toBe(1);

    await pool.query("INSERT INTO books (title, author, copies) VALUES ('before', 'x', 1)");
    await whenCaughtUp(feed, pool);
    await subscribe(1);
    expect(headReads).toBe(2);
    // Started after that commit: its first change is the next one.
    await pool.query("INSERT INTO books (title, author, copies) VALUES ('after', 'x', 1)");
    expect(await titles(streams.at(-1)!, 1)).toEqual(['CREATED after']);
  } finally {
    await Promise.all(streams.map((stream) => stream.return()));
    await feed.close();
    await pool.end();
  }
});
