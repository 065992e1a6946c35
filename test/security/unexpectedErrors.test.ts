// A failure nobody planned for (here: the database missing what the server needs) reaches the
// client as INTERNAL_SERVER_ERROR with a fixed message, on every transport, and never with
// what went wrong inside: no SQL, no table or function name.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { encodeCursor } from '../../server/realtime/position.ts';
import { gql, serverPerFile, subscribe, transports } from '../support.ts';

const fixture = serverPerFile();

const internal = { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
const detail = /holds_copy|change_log|relation|function|does not exist/i;

beforeAll(async () => {
  const { rows } = await fixture.database.sql.query<{ id: string }>(
    "INSERT INTO books (title, author, copies) VALUES ('Kept', 'Someone', 1) RETURNING id",
  );
  expect(rows).toHaveLength(1);
  // What a book's availability and a resumed subscription's cursor check read.
  await fixture.database.sql.query(
    'ALTER FUNCTION holds_copy_now(bookings) RENAME TO holds_copy_gone',
  );
  await fixture.database.sql.query('ALTER TABLE change_log_horizon RENAME TO horizon_gone');
});

afterAll(async () => {
  await fixture.database.sql.query('ALTER TABLE horizon_gone RENAME TO change_log_horizon');
  await fixture.database.sql.query(
    'ALTER FUNCTION holds_copy_gone(bookings) RENAME TO holds_copy_now',
  );
});

test('a query that fails inside the server answers the masked error, without the detail', async () => {
  const result = await gql(fixture.server, '{ books { nodes { id available } } }');
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0]).toMatchObject(internal);
  expect(JSON.stringify(result)).not.toMatch(detail);
});

test.each(transports)(
  'over %s, a subscription that fails as it opens is refused with the masked error',
  async (transport) => {
    const subscription = subscribe(
      fixture.server,
      transport,
      'subscription ($after: String) { bookChanged(after: $after) { cursor } }',
      { after: encodeCursor({ tx: 1n, seq: 1n }) },
    );
    try {
      const errors = await subscription.refused;
      expect(errors).toHaveLength(1);
      expect(errors![0]).toMatchObject(internal);
      expect(JSON.stringify(errors)).not.toMatch(detail);
    } finally {
      await subscription.close();
    }
  },
);
