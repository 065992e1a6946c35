import { defineConfig } from 'vitest/config';

// Resolve packages as Node does at run time. Vite's default "development" condition would load
// graphql's dev build for our code while dependencies load the regular one: two graphql modules,
// and `instanceof GraphQLError` fails across them.
const nodeConditions = ['module-sync', 'node'];

export default defineConfig({
  resolve: { conditions: nodeConditions },
  ssr: { resolve: { conditions: nodeConditions } },
  test: {
    include: ['server/**/*.test.ts', 'test/**/*.test.ts', 'client/**/*.test.ts'],
    // Starts the embedded Postgres in a child process when no database is configured.
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
