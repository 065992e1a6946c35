import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, createTestDatabase } from '../../test/support.ts';
import {
  committedHead,
  pruneEntityVersions,
  readChanges,
  readChangesInWindow,
  settledHead,
} from './changeLog.ts';
import { type Position, startOfLog } from './position.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

test('positions compare as numbers, also where their digits get longer (99 < 100)', async () => {
  // Old, finished transaction ids, written as such: as text, '99' would sort after '100'.
  await database.sql.query(
    `INSERT INTO change_log (tx, entity, entity_id, kind, version)
     VALUES ('99', 'book', gen_random_uuid(), 'CREATED', 1),
            ('100', 'book', gen_random_uuid(), 'UPDATED', 1)`,
  );
  expect((await committedHead(database.sql))?.tx).toBe(100n);
  expect((await settledHead(database.sql))?.tx).toBe(100n);
  const { changes } = await readChanges(database.sql, { after: startOfLog, limit: 10 });
  expect(changes.map((change) => change.position.tx)).toEqual([99n, 100n]);
});

test('a filter the indexes cannot find is read in windows of bounded rows, none skipped', async () => {
  // 25 changes of one old transaction; only the 23rd is by the author asked for.
  await database.sql.query(
    `INSERT INTO change_log (tx, entity, entity_id, kind, version, author)
     SELECT '50', 'book', gen_random_uuid(), 'UPDATED', 1, CASE n WHEN 23 THEN 'needle' ELSE 'hay' END
     FROM generate_series(1, 25) n ORDER BY n`,
  );
  const { changes: all } = await readChanges(database.sql, {
    after: startOfLog,
    limit: 100,
    filter: { entity: 'book' },
  });
  const ofTx50 = all.filter((change) => change.position.tx === 50n);
  const until = ofTx50.at(-1)!.position;
  const read = (after: Position) =>
    readChangesInWindow(database.sql, {
      after,
      until,
      limit: 10,
      window: 10,
      filter: { entity: 'book', authors: ['needle'] },
    });
  const first = await read(startOfLog);
  expect(first.changes).toEqual([]);
  const second = await read(first.reached);
  expect(second.changes).toEqual([]);
  const third = await read(second.reached);
  expect(third.changes.map((change) => change.author)).toEqual(['needle']);
  expect(third.reached).toEqual(until);
  expect(third.changes[0]!.position).toEqual(ofTx50[22]!.position);
});

test('versions of entities gone from the tables and the log are forgotten; others are kept', async () => {
  const { rows } = await database.sql.query<{ id: string }>(
    "INSERT INTO books (title, author, copies) VALUES ('Kept', 'Someone', 1) RETURNING id",
  );
  await database.sql.query(
    `INSERT INTO entity_versions (entity, entity_id, version, last_tx)
     VALUES ('book', gen_random_uuid(), 3, '1'), ('booking', gen_random_uuid(), 2, '1')`,
  );
  expect(await pruneEntityVersions(database.sql)).toBe(2);
  const { rows: kept } = await database.sql.query<{ entity_id: string }>(
    "SELECT entity_id FROM entity_versions WHERE entity = 'book'",
  );
  expect(kept.map((row) => row.entity_id)).toContain(rows[0]!.id);
});
