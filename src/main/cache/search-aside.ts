import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { EncodedCallIndexOps, SearchBuilderData, SearchBuilderRequest, SearchBuilderResponse } from './search-builder-protocol';
import { rebuildCallIndex, reindexCallBySortKey, resumeCallIndexMerging } from './search-index';
import { statement } from './statements';
import { deleteSyncMeta, getSyncMeta, setSyncMeta } from './sync-meta';
import type { ThreadError } from './worker-serve';
import { cacheWorkerCalls, startCacheWorker } from './worker-thread';

/**
 * The calls' search index of a first pull, built aside. Indexing a call (FTS5: ~13 tokens, most of
 * them its number's digit suffixes) is about as much work as storing it, and on the pull writer
 * thread both were one thread's work. For a first pull into an empty cache, the writer hands each
 * page's index changes to a search builder thread (search-builder.ts), which builds calls_fts in a
 * scratch database on the other core; at the pull's end the writer adopts it: the finished index's
 * shadow tables are copied over the cache's empty ones in one transaction.
 *
 * Until then a search does not find the pulled calls (History lists them). Anything the main thread
 * indexed meanwhile (a note a receptionist changed) is in the cache's own calls_fts: those calls are
 * indexed again, from their rows, after the copy.
 *
 * Crash-safe: a marker in sync_state, set in the transaction that starts the pull, says the cache's
 * calls_fts lacks the pulled calls; it is cleared in the transaction that adopts the index. A pull cut
 * short (crash, quit, a thread that died) leaves it, and the next open, or the next pull writer,
 * indexes every stored call again (repairAsideBuild). A builder that fails does the same at the end.
 */
const MARKER = 'callSearchAside';
/** calls_fts's own tables, the index itself (calls_fts_config, its settings, stays the cache's). */
const INDEX_TABLES = ['calls_fts_data', 'calls_fts_idx', 'calls_fts_docsize'] as const;

/** The scratch database beside the cache. */
export function asideFileFor(cacheFile: string): string {
  return `${cacheFile}.search-build`;
}

/**
 * Whether this pull builds the calls' index aside: only into an empty cache (no calls, nothing in
 * calls_fts); if so, marks it. Must run inside the transaction that starts the pull.
 */
export function beginAsideBuild(db: Database.Database): boolean {
  if (statement(db, 'SELECT 1 FROM calls LIMIT 1').pluck().get() !== undefined) return false;
  if (statement(db, 'SELECT 1 FROM calls_fts_docsize LIMIT 1').pluck().get() !== undefined) return false;
  setSyncMeta(db, MARKER, 1);
  return true;
}

export function asideBuildPending(db: Database.Database): boolean {
  return getSyncMeta(db, MARKER) !== null;
}

/**
 * The index was not adopted (a pull cut short, a builder that failed): every stored call is indexed
 * here, when the marker says so or `always` (the writer of a pull whose index was not adopted: the
 * marker may be gone with a cache emptied meanwhile, and the calls written since are not indexed).
 * Must run inside a transaction.
 */
export function repairAsideBuild(db: Database.Database, cacheFile: string, always = false): void {
  if (!always && !asideBuildPending(db)) return;
  rebuildCallIndex(db);
  deleteSyncMeta(db, MARKER);
  rmSync(asideFileFor(cacheFile), { force: true });
}

/**
 * Copies the finished index over the cache's calls_fts and indexes again what the main thread indexed
 * meanwhile, in one transaction, on a connection of its own: FTS5 caches an index's structure per
 * connection and notices another connection's commit, not a change to its own tables under it.
 * Returns false, changing nothing, when the marker is gone (the cache was emptied meanwhile).
 */
export function adoptAsideBuild(options: { cacheFile: string; nativeBinding?: string | undefined }): boolean {
  const scratch = asideFileFor(options.cacheFile);
  const db = new Database(options.cacheFile, { nativeBinding: options.nativeBinding, timeout: 5000 });
  try {
    // better-sqlite3 opens connections in SQLite's defensive mode, where FTS5's own tables are read-only to SQL; this one connection writes them.
    db.unsafeMode(true);
    db.prepare('ATTACH DATABASE ? AS aside').run(scratch);
    const adopted = db.transaction(() => {
      if (!asideBuildPending(db)) return false;
      const touched = db.prepare('SELECT rowid FROM main.calls_fts_docsize').pluck().all() as number[];
      for (const table of INDEX_TABLES) {
        db.exec(`DELETE FROM main.${table}; INSERT INTO main.${table} SELECT * FROM aside.${table};`);
      }
      for (const sortKey of touched) reindexCallBySortKey(db, sortKey);
      resumeCallIndexMerging(db);
      deleteSyncMeta(db, MARKER);
      return true;
    }).immediate();
    db.exec('DETACH DATABASE aside');
    return adopted;
  } finally {
    db.close();
    rmSync(scratch, { force: true });
  }
}

/** The pull writer's handle on its search builder thread. */
export interface SearchBuilder {
  /** Hands over one committed page's index changes (in order; a failure shows at `finish`). */
  apply(ops: EncodedCallIndexOps): void;
  /** Merges and closes the scratch index; resolves true when it holds every change handed over. */
  finish(): Promise<boolean>;
}

/** The built builder's file name next to the main bundle (an input in electron.vite.config.ts). */
export const BUILT_SEARCH_BUILDER_FILE = 'cache-search-builder.js';

export function startSearchBuilder(options: { cacheFile: string; definition: string; nativeBinding?: string | undefined; workerPath?: string | URL }): SearchBuilder {
  const data: SearchBuilderData = { file: asideFileFor(options.cacheFile), definition: options.definition, nativeBinding: options.nativeBinding };
  const worker = startCacheWorker({ source: 'search-builder.ts', built: BUILT_SEARCH_BUILDER_FILE }, data, 'cache-search-builder', options.workerPath);
  const calls = cacheWorkerCalls<SearchBuilderRequest, ThreadError, SearchBuilderResponse, true>(worker, {
    revive: (error) => new Error(error.message),
    valueOf: () => true,
    exitError: (code) => new Error(`The cache's search builder thread exited (code ${code})`),
  });
  let failed = false;
  return {
    apply(ops) {
      calls.send({ id: calls.nextId(), type: 'ops', ops }).catch(() => {
        failed = true;
      });
    },
    async finish() {
      const finished = await calls.send({ id: calls.nextId(), type: 'finish' }).catch(() => false);
      await worker.terminate();
      return finished && !failed;
    },
  };
}

/** calls_fts's CREATE statement, for the scratch table. */
export function callIndexDefinition(db: Database.Database): string {
  return statement(db, "SELECT sql FROM sqlite_schema WHERE name = 'calls_fts'").pluck().get() as string;
}
