/** The desktop's local SQLite cache. See README.md. */
export { openCache } from './cache';
export type { CallCache, OpenCacheOptions, OutboxPort, WrapupsPort } from './cache';
export type { AckOutcome } from './outbox';
export { createCacheQueryWorker, CacheWorkerError, BUILT_WORKER_FILE } from './query-worker-client';
export type { CacheQueryWorker, CacheQueryWorkerOptions } from './query-worker-client';
export { CacheFromFutureError, CacheInputError } from './errors';
export { LATEST_SCHEMA_VERSION } from './migrations';
export { buildMatchQuery } from './search-text';
export * from './types';
