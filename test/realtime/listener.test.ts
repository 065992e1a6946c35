import { expect, test } from 'vitest';
import { listenerApplicationName } from '../../server/realtime/listener.ts';
import { opened, serverPerFile, subscribe, until } from '../support.ts';

const fixture = serverPerFile();

test('the LISTEN connection killed with pg_terminate_backend loses nothing: changes made meanwhile still arrive, in order', async () => {
  const [watching] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', 'subscription { bookChanged { kind book { title } } }'),
  ]);
  const { rows } = await fixture.database.sql.query(
    `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = $1`,
    [listenerApplicationName],
  );
  expect(rows).toEqual([{ killed: true }]);
  const readiness = async () => (await fetch(new URL('/ready', fixture.server.url))).status;
  // Committed while the server has no LISTEN connection: no notification reaches it for these.
  for (const title of ['while down 1', 'while down 2', 'while down 3']) {
    await fixture.database.sql.query(
      "INSERT INTO books (title, author, copies) VALUES ($1, 'Outage', 1)",
      [title],
    );
  }
  const titles: string[] = [];
  for (let i = 0; i < 3; i++) titles.push((await watching!.next()).data!.bookChanged.book.title);
  expect(titles).toEqual(['while down 1', 'while down 2', 'while down 3']);

  // And the connection comes back: the instance reports ready again and later changes flow.
  await until(() => fixture.server.changes.ready, 'the listener is back');
  expect(await readiness()).toBe(200);
  await fixture.database.sql.query(
    "INSERT INTO books (title, author, copies) VALUES ('after', 'Outage', 1)",
  );
  expect((await watching!.next()).data!.bookChanged.book.title).toBe('after');
  const { rows: listening } = await fixture.database.sql.query(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    [listenerApplicationName],
  );
  expect(listening[0].n).toBe(1);
  await watching!.close();
});
