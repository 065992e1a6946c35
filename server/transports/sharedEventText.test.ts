import { expect, test, vi } from 'vitest';
import { sharedEventText } from './sharedEventText.ts';

test('makes the text of one result once for every stream, and afresh for another cursor', () => {
  const make = vi.fn((json: string, cursor: string) => `id: ${cursor}\ndata: ${json}\n\n`);
  const textOf = sharedEventText(make);
  // A batch of two changes handed to three subscribers, one after the other.
  for (let subscriber = 0; subscriber < 3; subscriber += 1) {
    expect(textOf('{"a":1}', 'c1')).toBe('id: c1\ndata: {"a":1}\n\n');
    expect(textOf('{"a":2}', 'c2')).toBe('id: c2\ndata: {"a":2}\n\n');
  }
  expect(make).toHaveBeenCalledTimes(2);
  // The same JSON from a later change carries that change's cursor.
  expect(textOf('{"a":1}', 'c3')).toBe('id: c3\ndata: {"a":1}\n\n');
  expect(make).toHaveBeenCalledTimes(3);
});

test('keeps a bounded number of texts', () => {
  const make = vi.fn((json: string) => json);
  const textOf = sharedEventText(make);
  for (let result = 0; result < 10_000; result += 1) textOf(`{"n":${result}}`, '');
  // Still answered from memory: the latest result's text is kept.
  textOf('{"n":9999}', '');
  expect(make).toHaveBeenCalledTimes(10_000);
  // The first one was let go long ago.
  textOf('{"n":0}', '');
  expect(make).toHaveBeenCalledTimes(10_001);
});
