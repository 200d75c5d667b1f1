/**
 * The hourly cap's bounds, without zod: Settings is on the page's start path, which loads no zod
 * (issue #21; test/integration/renderer-start-imports.test.ts). call-policy.ts's schema uses them.
 */
export const OUTBOUND_CALLS_PER_USER_HOUR = { min: 1, max: 10_000 } as const;
