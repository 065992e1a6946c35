// Logs: level names honoured, ids on every request's lines, credentials never written.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { serverProcessPerFile, tokenFor } from './support.ts';

/** What the logger writes at LOG_LEVEL `level` for one line at each level. */
function linesAtLevel(level: string): { level: string; message: string }[] {
  const script = `const { logger } = await import('./server/logger.ts');
    for (const at of ['debug', 'info', 'warn', 'error']) logger[at](at + ' line');`;
  const { stderr } = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, LOG_LEVEL: level },
  });
  return stderr
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

test.each([
  ['debug', ['debug', 'info', 'warn', 'error']],
  ['info', ['info', 'warn', 'error']],
  ['warn', ['warn', 'error']],
  ['error', ['error']],
  ['silent', []],
])('LOG_LEVEL=%s writes %j', (level, expected) => {
  expect(linesAtLevel(level).map((line) => line.level)).toEqual(expected);
});

const fixture = serverProcessPerFile({ LOG_LEVEL: 'debug' });

test('a request’s log lines carry its id, and its credentials are never written', async () => {
  const token = await tokenFor('logged-user');
  const before = fixture.process.logs.length;
  const response = await fetch(fixture.process.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}x`,
      'x-request-id': 'req-0042',
    },
    body: JSON.stringify({ query: '{ bookz }' }),
  });
  expect(response.status).toBe(401);
  expect(response.headers.get('x-request-id')).toBe('req-0042');
  const { status } = await fetch(fixture.process.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'req-0043' },
    body: JSON.stringify({ query: '{ bookz }' }),
  });
  expect(status).toBe(200);
  const written = fixture.process.logs.slice(before);
  const raw = written.filter((line) => line.includes('"req-0043"'));
  const refused = raw.map((line) => JSON.parse(line));
  // One `message` key a line (JSON.parse would hide a second by keeping the last).
  expect(raw.every((line) => line.split('"message":').length === 2)).toBe(true);
  expect(refused.some((line) => String(line.firstError).includes('bookz'))).toBe(true);
  expect(refused.length).toBeGreaterThan(0);
  expect(
    refused.every(
      (line) =>
        line.level === 'info' &&
        line.message === 'request refused' &&
        !JSON.stringify(line).includes('stack'),
    ),
  ).toBe(true);
  expect(written.join('\n')).not.toContain(token.split('.')[2]);
});
