import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One vitest run, one project per runtime tier. Unit tests sit beside their code as *.test.ts(x);
// integration tests (real SQLite, PGlite, PostgreSQL, keychain) live in test/integration.
// The projects that use PostgreSQL share one throwaway cluster per run; each test file makes its own databases.
const sharedPostgres = './test/support/postgres-global-setup.ts';
// The integration and fault projects: real processes, PostgreSQL and the keychain, slow starts.
// Their files share ports and system services (PostgreSQL, keychain): run one at a time.
const oneFileAtATime = {
  environment: 'node' as const,
  testTimeout: 120_000,
  hookTimeout: 120_000,
  globalSetup: [sharedPostgres],
  fileParallelism: false,
};
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit-node',
          environment: 'node',
          include: ['src/shared/**/*.test.ts', 'src/main/**/*.test.ts', 'src/preload/**/*.test.ts', 'scripts/**/*.test.ts'],
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'unit-renderer',
          environment: 'happy-dom',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'cloud',
          environment: 'node',
          include: ['src/cloud/**/*.test.ts'],
          testTimeout: 30_000,
          globalSetup: [sharedPostgres, './test/support/pglite-snapshots-global-setup.ts'],
        },
      },
      {
        test: { name: 'sandbox', environment: 'node', include: ['src/sandbox/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...oneFileAtATime },
      },
      {
        test: {
          // kill -9 at random points, hundreds of process starts: long, so `npm test` runs them in a
          // vitest run of their own beside the integration tier instead of after it.
          name: 'fault',
          include: ['test/fault/**/*.test.ts'],
          ...oneFileAtATime,
        },
      },
    ],
  },
});
