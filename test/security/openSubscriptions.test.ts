// One user (or anonymous address) holds a bounded number of open subscriptions, on all
// transports together, however many connections it opens.
import { expect, test } from 'vitest';
import { encodeCursor } from '../../server/realtime/position.ts';
import { opened, serverPerFile, subscribe, tokenFor, transports, until } from '../support.ts';

const fixture = serverPerFile({ MAX_SUBSCRIPTIONS_PER_VIEWER: '3' });
const query = 'subscription { bookChanged { cursor } }';

test('past MAX_SUBSCRIPTIONS_PER_VIEWER open subscriptions, across transports and connections, the next is LIMIT_EXCEEDED; ending one frees its place', async () => {
  const token = await tokenFor('hoarder');
  const held = await opened(fixture.server, () => [
    subscribe(fixture.server, 'ws', query, {}, token),
    subscribe(fixture.server, 'sse-distinct', query, {}, token),
    subscribe(fixture.server, 'sse-single', query, {}, token),
  ]);
  for (const transport of ['ws', 'sse-distinct', 'sse-single'] as const) {
    const extra = subscribe(fixture.server, transport, query, {}, token);
    expect((await extra.refused)?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    await extra.close();
  }
  // Others have places of their own.
  const [anonymous] = await opened(fixture.server, () => [subscribe(fixture.server, 'ws', query)]);

  await held[0]!.close();
  await until(() => fixture.server.changes.subscriberCount === 3, 'the closed one is released');
  const [again] = await opened(fixture.server, () => [
    subscribe(fixture.server, 'sse-distinct', query, {}, token),
  ]);
  await Promise.all(
    [...held.slice(1), anonymous!, again!].map((subscription) => subscription.close()),
  );
});

test('a refused resume frees its place as it is refused, on every transport', async () => {
  const token = await tokenFor('resumer');
  const ahead = { after: encodeCursor({ tx: 10n ** 15n, seq: 1n }) };
  const resume = 'subscription ($after: String) { bookChanged(after: $after) { cursor } }';
  // More refusals than places: each must have given its place back.
  for (const transport of transports) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const refused = subscribe(fixture.server, transport, resume, ahead, token);
      expect((await refused.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      await refused.completed;
      await refused.close();
    }
  }
  const held = await opened(fixture.server, () =>
    transports.map((transport) => subscribe(fixture.server, transport, query, {}, token)),
  );
  await Promise.all(held.map((subscription) => subscription.close()));
});
