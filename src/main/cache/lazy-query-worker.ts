import type { CacheQueryWorker } from './query-worker-client';

type Queries = Omit<CacheQueryWorker, 'ready' | 'close'>;

/**
 * The query worker, started on its first query instead of at start: its thread loads its own copy
 * of the cache code, SQLite and zod, which on two cores competed with the embedded cloud and the
 * page on the way to "Ready for calls", for search, history and reports that nobody asks for
 * before the phone is ready. The first such query waits for the worker once (a few hundred ms).
 */
export function lazyCacheQueryWorker(start: () => CacheQueryWorker): Queries & { readonly started: boolean; close(): Promise<void> } {
  let worker: CacheQueryWorker | undefined;
  let closed = false;
  const get = (): CacheQueryWorker => {
    if (closed) throw new Error('The cache query worker is closed.');
    return (worker ??= start());
  };
  return {
    get started() {
      return worker !== undefined;
    },
    // async: a closed worker (or one that cannot start) rejects, as the worker's own calls do.
    search: async (input) => get().search(input),
    history: async (filters) => get().history(filters),
    reportSummary: async (params) => get().reportSummary(params),
    reportRows: async (params) => get().reportRows(params),
    reportCsv: async (params) => get().reportCsv(params),
    reportOptions: async (params) => get().reportOptions(params),
    async close() {
      closed = true;
      await worker?.close();
    },
  };
}
