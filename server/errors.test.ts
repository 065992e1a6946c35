import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { ErrorCode } from '../client/src/gql/enums.ts';
import { errorCodes } from './errors.ts';

test('the README’s error table, the schema’s ErrorCode enum and the server’s codes are the same list', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(
    readme.indexOf('### Errors'),
    readme.indexOf('### Production defaults'),
  );
  const documented = [...section.matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]);
  const codes = Object.keys(errorCodes).sort();
  expect(documented.sort()).toEqual(codes);
  expect(Object.values(ErrorCode).sort()).toEqual(codes);
});
