import type { PullResponse } from '../../shared/cloud';
import { CacheInputError } from './errors';
import type { PullWriterData, PullWriterRequest, PullWriterResponse, SearchIndexOutcome } from './pull-writer-protocol';
import type { ThreadError } from './worker-serve';
import { cacheWorkerCalls, startCacheWorker } from './worker-thread';

/** The built writer's file name next to the main bundle (an input in electron.vite.config.ts). */
export const BUILT_PULL_WRITER_FILE = 'cache-pull-writer.js';
const SOURCE_PULL_WRITER_FILE = 'pull-writer.ts';

export interface PullWriter {
  /** Resolves when the thread has opened its connection; rejects if it could not. */
  readonly ready: Promise<void>;
  /** Writes one parsed page and its cursor in one transaction on the writer thread; the rows changed. */
  write(page: PullResponse): Promise<number>;
  /**
   * Merges the search index, checkpoints, closes the connection and ends the thread. Never rejects:
   * resolves with how the calls' search index was kept, or undefined when the thread had failed.
   */
  close(): Promise<SearchIndexOutcome | undefined>;
  /** Ends the thread at once (as a crash would): a page being written rolls back and is pulled again. */
  terminate(): Promise<void>;
}

/** A failure on the writer thread, with SQLite's code (isDiskFull reads it). */
export class PullWriterError extends Error {
  override readonly name = 'PullWriterError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function revive(error: ThreadError): Error {
  if (error.name === 'CacheInputError') return new CacheInputError(error.message);
  return new PullWriterError(error.message, error.code);
}

/** Starts the thread that writes the pages of a long pull off the main event loop (pull-writer.ts). */
export function startPullWriter(options: PullWriterData & { now: () => number; workerPath?: string | URL }): PullWriter {
  const data: PullWriterData = { file: options.file, nativeBinding: options.nativeBinding, searchBuilderPath: options.searchBuilderPath };
  const worker = startCacheWorker({ source: SOURCE_PULL_WRITER_FILE, built: BUILT_PULL_WRITER_FILE }, data, 'cache-pull-writer', options.workerPath);
  const calls = cacheWorkerCalls<PullWriterRequest, ThreadError, PullWriterResponse, { applied: number; searchIndex?: SearchIndexOutcome | undefined }>(worker, {
    revive,
    valueOf: (result) => result,
    exitError: (code) => new PullWriterError(`The cache's pull writer thread exited (code ${code})`),
  });

  return {
    ready: calls.ready,
    write: async (page) => (await calls.send({ id: calls.nextId(), type: 'page', page, now: options.now() })).applied,
    async close() {
      const closed = calls.failure() ? undefined : await calls.send({ id: calls.nextId(), type: 'close' }).catch(() => undefined);
      await worker.terminate();
      await calls.exit;
      return closed?.searchIndex;
    },
    async terminate() {
      await worker.terminate();
      await calls.exit;
    },
  };
}
