import { CacheInputError } from './errors';
import type { QueryMethod, QueryMethods, QueryRequest, QueryResponse, QueryWorkerData } from './query-protocol';
import type { ThreadError } from './worker-serve';
import type { HistoryFilters, HistoryPage, SearchInput, SearchResult } from './types';
import { cacheWorkerCalls, startCacheWorker } from './worker-thread';

/** The built worker's file name next to the main bundle (the lead adds it to electron.vite.config.ts). */
export const BUILT_WORKER_FILE = 'cache-query-worker.js';
const SOURCE_WORKER_FILE = 'query-worker.ts';

export interface CacheQueryWorkerOptions {
  /** The same SQLite file the main-thread cache has open (and has migrated). */
  file: string;
  nativeBinding?: string | undefined;
  /**
   * The worker entry. In the app pass the built file, e.g. `new URL('./cache-query-worker.js', import.meta.url)`
   * from out/main/index.js. A `.ts` path (tests, tsx) is started through tsx's loader.
   * Default: query-worker.ts beside this module when running from source, else BUILT_WORKER_FILE beside it.
   */
  workerPath?: string | URL;
}

export interface CacheQueryWorker {
  /** Resolves when the worker has opened its connection; rejects if it could not. */
  readonly ready: Promise<void>;
  search(input: SearchInput): Promise<SearchResult>;
  history(filters: HistoryFilters): Promise<HistoryPage>;
  /** Call Reporting offline: a user's own calls from this computer's copy (report.ts). */
  reportSummary(params: QueryMethods['reportSummary']['params']): Promise<QueryMethods['reportSummary']['result']>;
  reportRows(params: QueryMethods['reportRows']['params']): Promise<QueryMethods['reportRows']['result']>;
  /** Writes the CSV to `file` from the worker itself. */
  reportCsv(params: QueryMethods['reportCsv']['params']): Promise<QueryMethods['reportCsv']['result']>;
  reportOptions(params: QueryMethods['reportOptions']['params']): Promise<QueryMethods['reportOptions']['result']>;
  /** Closes the worker's connection and ends the thread; pending queries are rejected. */
  close(): Promise<void>;
}

export class CacheWorkerError extends Error {
  override readonly name = 'CacheWorkerError';
}

function revive(error: ThreadError): Error {
  if (error.name === 'CacheInputError') return new CacheInputError(error.message);
  const revived = new CacheWorkerError(error.message);
  revived.message = `${error.name}: ${error.message}`;
  return revived;
}

/** Starts the worker that runs search, history and reporting queries off the main event loop. */
export function createCacheQueryWorker(options: CacheQueryWorkerOptions): CacheQueryWorker {
  const workerData: QueryWorkerData = { file: options.file, nativeBinding: options.nativeBinding };
  const worker = startCacheWorker({ source: SOURCE_WORKER_FILE, built: BUILT_WORKER_FILE }, workerData, 'cache-query', options.workerPath);

  const calls = cacheWorkerCalls<QueryRequest, ThreadError, QueryResponse, unknown>(worker, {
    revive,
    valueOf: (result) => result.value,
    exitError: (code) => new CacheWorkerError(`The cache query worker exited (code ${code})`),
  });
  function call<M extends QueryMethod>(method: M, params: QueryMethods[M]['params']): Promise<QueryMethods[M]['result']> {
    return calls.send({ id: calls.nextId(), method, params }) as Promise<QueryMethods[M]['result']>;
  }

  return {
    ready: calls.ready,
    search: (input) => call('search', input),
    history: (filters) => call('history', filters),
    reportSummary: (params) => call('reportSummary', params),
    reportRows: (params) => call('reportRows', params),
    reportCsv: (params) => call('reportCsv', params),
    reportOptions: (params) => call('reportOptions', params),
    async close() {
      if (!calls.exited() && !calls.failure()) {
        await calls.send({ id: calls.nextId(), method: 'close' }).catch(() => undefined);
      }
      if (!calls.exited()) await worker.terminate();
      await calls.exit;
    },
  };
}
