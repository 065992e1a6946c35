import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, createTestDatabase } from '../../test/support.ts';
import { committedHead, readChanges, settledHead } from './changeLog.ts';
import { startOfLog } from './position.ts';

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
