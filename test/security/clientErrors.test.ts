// Client mistakes are client errors: a client code, no stack in the log, the process unharmed.
import { expect, test } from 'vitest';
import { gql, serverProcessPerFile } from '../support.ts';

const fixture = serverProcessPerFile({ LOG_LEVEL: 'info' });

const mistakes: [string, string, Record<string, unknown>, string][] = [
  [
    'a document nested 5,000 deep',
    `{ ${'books { nodes { '.repeat(2500)}id${' } }'.repeat(2500)} }`,
    {},
    'GRAPHQL_PARSE_FAILED',
  ],
  ['a syntax error', '{ books { ', {}, 'GRAPHQL_PARSE_FAILED'],
  [
    'a NUL byte in search',
    'query ($s: String) { books(search: $s) { nodes { id } } }',
    { s: 'a\u0000' },
    'BAD_USER_INPUT',
  ],
  ['an unknown field', '{ bookz { id } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
  [
    'a variable of the wrong type',
    'query ($n: Int) { books(first: $n) { nodes { id } } }',
    { n: 'many' },
    'GRAPHQL_VALIDATION_FAILED',
  ],
  ['an ID of another type', '{ book(id: "Qm9vazp4") { id } }', {}, 'BAD_USER_INPUT'],
];

test.each(mistakes)(
  '%s answers a client error code and logs one line without a stack',
  async (_what, query, variables, code) => {
    const before = fixture.process.logs.length;
    for (let i = 0; i < 10; i++) {
      const result = await gql({ url: fixture.process.url }, query, variables);
      expect(result.status).toBeLessThan(500);
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
    }
    // At most one line per refused request, without a stack.
    const written = fixture.process.logs.slice(before).map((line) => JSON.parse(line));
    const refusals = written.filter((line) => line.message === 'request refused');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.length).toBeLessThanOrEqual(10);
    expect(refusals.every((line) => line.codes.includes(code))).toBe(true);
    expect(written.filter((line) => JSON.stringify(line).includes('stack'))).toEqual([]);
  },
);

test('a malformed JSON body is a 400 with a client code, and the process goes on', async () => {
  const response = await fetch(fixture.process.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query": ',
  });
  expect(response.status).toBe(400);
  expect((await fetch(new URL('/health', fixture.process.url))).status).toBe(200);
  expect(fixture.process.logs.filter((line) => line.includes('stack'))).toEqual([]);
});

test('a client repeating a bad request cannot flood the log: refusal lines are capped per minute', async () => {
  const before = fixture.process.logs.length;
  await Promise.all(
    Array.from({ length: 200 }, () => gql({ url: fixture.process.url }, '{ bookz }')),
  );
  const refusals = fixture.process.logs
    .slice(before)
    .filter((line) => line.includes('request refused'));
  expect(refusals.length).toBeLessThanOrEqual(120);
});
