// `npm run codegen`: typed documents for the operations in client/, from the printed schema.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['client/**/*.{ts,tsx}', '!client/src/gql/**', '!client/codegen/**'],
  ignoreNoDocuments: false,
  generates: {
    'client/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Node runs these files directly, so imports name the real file and types stay erasable.
        importExtension: '.ts',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        strictScalars: true,
      },
    },
    'client/src/gql/schema.ts': { plugins: ['./client/codegen/minifiedSchema.ts'] },
    // The schema's enums as values and types, ErrorCode among them: the codes a client may get.
    'client/src/gql/enums.ts': {
      plugins: ['typescript'],
      config: { onlyEnums: true, enumsAsConst: true, namingConvention: { enumValues: 'keep' } },
    },
    // Graphcache's keys, resolvers and updaters typed from the schema: what cache.ts declares.
    'client/src/gql/graphcache.ts': {
      plugins: ['typescript', 'typescript-urql-graphcache'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
        strictScalars: true,
      },
    },
  },
  hooks: { afterAllFileWrite: ['prettier --write'] },
};

export default config;
