import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { printedSchema, schemaFile } from '../server/schema/printSchema.ts';

test('schema/schema.graphql matches the schema the code builds', async () => {
  expect(await readFile(schemaFile, 'utf8')).toBe(printedSchema());
});
