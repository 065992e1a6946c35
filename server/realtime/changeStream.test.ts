import { describe, expect, test } from 'vitest';
import { DomainError } from '../errors.ts';
import { bookUpdate } from '../../test/changeEvents.ts';
import { ChangeStream } from './changeStream.ts';

const event = bookUpdate;

const tooSlow = () => new DomainError('SLOW_CONSUMER', 'too slow');

describe('ChangeStream', () => {
  test('delivers pushed changes in order, to a reader that waits or one that comes later', async () => {
    const stream = new ChangeStream({ capacity: 10, onOverflow: tooSlow, onEnd: () => undefined });
    const waiting = stream.next();
    stream.push(event(1));
    stream.push(event(2));
    expect((await waiting).value).toEqual(event(1));
    expect((await stream.next()).value).toEqual(event(2));
  });

  test('past its capacity it drops the backlog, yields the overflow error once and ends', async () => {
    let ended = 0;
    const stream = new ChangeStream({ capacity: 3, onOverflow: tooSlow, onEnd: () => ended++ });
    for (let seq = 1; seq <= 5; seq++) stream.push(event(seq));
    expect(ended).toBe(1);
    const last = await stream.next();
    expect(last.value).toBeInstanceOf(DomainError);
    expect((last.value as DomainError).extensions.code).toBe('SLOW_CONSUMER');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  test('fail() reaches a reader already waiting', async () => {
    const stream = new ChangeStream({ capacity: 3, onOverflow: tooSlow, onEnd: () => undefined });
    const waiting = stream.next();
    stream.fail(new DomainError('UNAUTHENTICATED', 'token expired'));
    expect(((await waiting).value as DomainError).extensions.code).toBe('UNAUTHENTICATED');
    expect((await stream.next()).done).toBe(true);
  });

  test('return() releases a reader parked on an empty stream at once', async () => {
    let ended = false;
    const stream = new ChangeStream({
      capacity: 3,
      onOverflow: tooSlow,
      onEnd: () => (ended = true),
    });
    const parked = stream.next();
    await stream.return();
    expect(await parked).toEqual({ value: undefined, done: true });
    expect(ended).toBe(true);
    stream.push(event(1));
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  test('a direct sender gets live changes only while the reader waits, so queued ones go first', async () => {
    const stream = new ChangeStream({ capacity: 10, onOverflow: tooSlow, onEnd: () => undefined });
    const sentDirectly: string[] = [];
    let keepingUp = true;
    stream.direct = {
      prepare: () => undefined,
      send: (change) => keepingUp && sentDirectly.push(change.entityId) > 0,
    };
    // No reader waiting: the reader may still be sending an earlier change, so this one queues.
    expect(stream.push(event(1))).toBe(false);
    expect((await stream.next()).value).toEqual(event(1));

    const waiting = stream.next();
    expect(stream.push(event(2))).toBe(true);
    expect(stream.push(event(3))).toBe(true);
    expect(sentDirectly).toEqual(['id-2', 'id-3']);

    // A sender that cannot take a change (its client is behind) hands it to the waiting reader.
    keepingUp = false;
    expect(stream.push(event(4))).toBe(true);
    expect((await waiting).value).toEqual(event(4));
    expect(sentDirectly).toEqual(['id-2', 'id-3']);
  });

  test('replayed changes go to a direct sender while it takes them; the rest queue in order', async () => {
    const delivered: [string, boolean][] = [];
    const stream = new ChangeStream({
      capacity: 10,
      onOverflow: tooSlow,
      onEnd: () => undefined,
      onDelivered: (change, replayed) => delivered.push([change.entityId, replayed]),
    });
    const sentDirectly: string[] = [];
    stream.direct = {
      prepare: () => undefined,
      send: (change) => sentDirectly.length < 2 && sentDirectly.push(change.entityId) > 0,
    };
    expect(await stream.replay([event(1), event(2)])).toBe(false);
    expect(await stream.replay([event(3), event(4)])).toBe(true);
    expect(sentDirectly).toEqual(['id-1', 'id-2']);
    expect((await stream.next()).value).toEqual(event(3));
    expect((await stream.next()).value).toEqual(event(4));
    expect(delivered).toEqual([
      ['id-1', true],
      ['id-2', true],
      ['id-3', true],
      ['id-4', true],
    ]);
  });
});
