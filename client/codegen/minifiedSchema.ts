// A codegen plugin: the schema as minified introspection, which makes Graphcache schema-aware
// (interfaces matched exactly, nullable fields tolerated) without shipping `graphql` to browsers.
import { minifyIntrospectionQuery } from '@urql/introspection';
import { type GraphQLSchema, introspectionFromSchema } from 'graphql';

export const plugin = (schema: GraphQLSchema): string => {
  const minified = minifyIntrospectionQuery(introspectionFromSchema(schema));
  return [
    "import type { CacheExchangeOpts } from '@urql/exchange-graphcache';",
    '',
    `export const schema: NonNullable<CacheExchangeOpts['schema']> = ${JSON.stringify(minified, null, 2)};`,
    '',
  ].join('\n');
};
