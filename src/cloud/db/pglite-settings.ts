import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { ROW_PARSERS } from './database';

/**
 * PostgreSQL settings every PGlite here starts with: the embedded default's database (the worker,
 * pglite-worker.ts) and the tests' (test/support/migration-snapshots.ts). Given on the command line,
 * so a data folder's postgresql.conf stays as initdb wrote it.
 *
 * PGlite's WASM zeroes all of PostgreSQL's shared memory at every start, in a byte loop on V8's
 * baseline code (pglite.ts defers optimising it): 3–4 ms per MB here, on the way to "Ready for calls"
 * (issue #21). PGlite's defaults make 145 MB of it, the 16 MB of buffers set until now 24 MB, these
 * 13 MB: the embedded database opened about 50 ms sooner in the browser host (median of 10 starts).
 * - shared_buffers: a practice's hot pages fit in little, and a page outside the buffers comes from
 *   the OS's file cache. cloud-load.bench.ts on PGlite: 8 MB answers the same 1,600 webhooks/s as
 *   16 MB, and a 100-mutation push under 100 webhooks/s is as fast (p50 248 ms; 241–276 at 16 MB);
 *   at 4 MB that push slowed to p50 330–368 ms, its pages no longer all in the buffers.
 * - wal_buffers: PostgreSQL sizes it from shared_buffers (1/32); kept at what 16 MB gave, so fewer
 *   buffers do not mean more WAL writes per burst of commits.
 * - max_connections: PGlite is one backend in one process; the default 100 sizes the lock table,
 *   the process array and the activity buffers for backends that cannot exist. The lock table
 *   stays ample at 10: one transaction created and so locked 4,000 tables with these settings.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '8MB',
  wal_buffers: '512kB',
  max_connections: '10',
};

/** How every PGlite here starts: PGlite's own start parameters with PGLITE_SETTINGS added, and the row parsers the PostgreSQL driver uses too. */
export function pgliteOptions(): Pick<PGliteOptions, 'startParams' | 'parsers'> {
  return {
    startParams: [...PGlite.defaultStartParams, ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    parsers: ROW_PARSERS,
  };
}
