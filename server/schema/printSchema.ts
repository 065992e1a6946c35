// `npm run schema:print` writes schema/schema.graphql; `--check` fails when it is out of date.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.ts';

export const schemaFile = fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url));
export const printedSchema = () => printSchema(lexicographicSortSchema(schema)) + '\n';

if (import.meta.main) {
  const current = await readFile(schemaFile, 'utf8').catch(() => '');
  if (process.argv.includes('--check')) {
    if (current !== printedSchema()) {
      process.stderr.write('schema/schema.graphql is out of date: run `npm run schema:print`.\n');
      process.exit(1);
    }
  } else {
    await writeFile(schemaFile, printedSchema());
  }
}
