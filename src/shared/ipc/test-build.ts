declare const __SOFTPHONE_TEST_HOOKS__: boolean | undefined;

/**
 * Whether this build carries the IPC contract's `test.*` channels (the E2E suite's hooks). The
 * production bundles are built with it false: electron.vite.config.ts replaces the constant, and
 * the channels, the bridge's `test` namespace and main's handlers drop out of the bundle
 * (test/integration/production-build.test.ts checks). `npm run build:e2e`, vitest and tsx keep them.
 */
export const TEST_HOOKS_BUILT_IN: boolean = typeof __SOFTPHONE_TEST_HOOKS__ === 'boolean' ? __SOFTPHONE_TEST_HOOKS__ : true;
