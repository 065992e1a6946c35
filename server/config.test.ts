import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { defaultConfig, readConfig, settingNames } from './config.ts';

const readme = () => readFile(new URL('../README.md', import.meta.url), 'utf8');

/** The variables named in the first column of the README's configuration table. */
async function documentedSettings(): Promise<string[]> {
  const text = await readme();
  const section = text.slice(text.indexOf('## Configuration'), text.indexOf('## Commands'));
  return [...section.matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]!);
}

describe('configuration', () => {
  test('the README table lists exactly the settings the server reads, plus the tests’ database', async () => {
    expect((await documentedSettings()).sort()).toEqual(
      [...settingNames, 'TEST_DATABASE_URL'].sort(),
    );
  });

  test('a bad value is one clear error naming its variable', () => {
    expect(() => readConfig({ DB_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(
      /^DB_STATEMENT_TIMEOUT_MS must be a whole number, not "soon"\.$/,
    );
    expect(() => readConfig({ SUBSCRIBER_BUFFER_SIZE: '0' })).toThrow(
      /SUBSCRIBER_BUFFER_SIZE must be at least 1/,
    );
    expect(() => readConfig({ GRAPHIQL: 'yes' })).toThrow(/GRAPHIQL must be true or false/);
  });

  test('production turns introspection and GraphiQL off unless asked for', () => {
    expect(readConfig({ NODE_ENV: 'production' })).toMatchObject({
      introspection: false,
      graphiql: false,
    });
    expect(
      readConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection,
    ).toBe(true);
    expect(defaultConfig()).toMatchObject({ introspection: true, graphiql: true });
  });

  test('CORS_ORIGINS is a comma-separated list', () => {
    expect(
      defaultConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });
});
