import { describe, expect, test, vi } from 'vitest';
import { sharedRead } from './sharedRead.ts';

/** A read that counts its calls and answers when told. */
function controlledRead() {
  const pending: PromiseWithResolvers<number>[] = [];
  const read = () => {
    const call = Promise.withResolvers<number>();
    pending.push(call);
    return call.promise;
  };
  return { read, pending };
}

describe('sharedRead', () => {
  test('callers asking while a read is in flight share it', async () => {
    const { read, pending } = controlledRead();
    const shared = sharedRead(read);
    const answers = Promise.all([shared(), shared(), shared()]);
    expect(pending).toHaveLength(1);
    pending[0]!.resolve(7);
    expect(await answers).toEqual([7, 7, 7]);
  });

  test('without a reuse time, the next caller after an answer reads again', async () => {
    const { read, pending } = controlledRead();
    const shared = sharedRead(read);
    const first = shared();
    pending[0]!.resolve(1);
    await first;
    const second = shared();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve(2);
    expect(await second).toBe(2);
  });

  test('within the reuse time an answer serves later callers, until forget()', async () => {
    const { read, pending } = controlledRead();
    const shared = sharedRead(read, 60_000);
    const first = shared();
    pending[0]!.resolve(1);
    await first;
    expect(await shared()).toBe(1);
    expect(pending).toHaveLength(1);
    shared.forget();
    const afterForget = shared();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve(2);
    expect(await afterForget).toBe(2);
  });

  test('a read in flight when forget() comes is still shared, but not reused once answered', async () => {
    const { read, pending } = controlledRead();
    const shared = sharedRead(read, 60_000);
    const before = shared();
    shared.forget();
    const meanwhile = shared();
    expect(pending).toHaveLength(1);
    pending[0]!.resolve(1);
    expect([await before, await meanwhile]).toEqual([1, 1]);
    const after = shared();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve(2);
    expect(await after).toBe(2);
    expect(await shared()).toBe(2);
    expect(pending).toHaveLength(2);
  });

  test('an answer is reused only for the reuse time after its read began', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const { read, pending } = controlledRead();
      const shared = sharedRead(read, 1000);
      const first = shared();
      pending[0]!.resolve(1);
      await first;
      vi.advanceTimersByTime(999);
      expect(await shared()).toBe(1);
      expect(pending).toHaveLength(1);
      vi.advanceTimersByTime(1);
      const later = shared();
      expect(pending).toHaveLength(2);
      pending[1]!.resolve(2);
      expect(await later).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a failed read is not kept: the next caller reads again', async () => {
    const { read, pending } = controlledRead();
    const shared = sharedRead(read, 60_000);
    const failing = shared();
    pending[0]!.reject(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    const retried = shared();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve(3);
    expect(await retried).toBe(3);
  });
});
