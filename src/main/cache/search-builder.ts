/**
 * Entry of the search builder thread. During a first pull on the pull writer thread, the calls'
 * search index (FTS5: most of the writer's work) is built here instead, in a scratch database of its
 * own, on the other core, while the writer writes the rows; the writer adopts the finished index at
 * the pull's end (search-aside.ts). Built as out/main/cache-search-builder.js; started by
 * startSearchBuilder (search-aside.ts).
 *
 * The scratch file is nothing but a means: not journaled, not synced. Any failure here only means
 * the writer indexes the calls itself at the end.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { replayCallIndexOps, type SearchBuilderData, type SearchBuilderRequest, type SearchBuilderResponse } from './search-builder-protocol';
import { directCallIndex, pauseCallIndexMerging, resumeCallIndexMerging } from './search-index';
import { serveCacheWorker } from './worker-serve';

/** The scratch connection's page cache, in KiB (negative = KiB): the index's pages while it merges. */
const SCRATCH_CACHE_SIZE = -64_000;

function open(data: SearchBuilderData): Database.Database {
  rmSync(data.file, { force: true });
  const db = new Database(data.file, { nativeBinding: data.nativeBinding });
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = ${SCRATCH_CACHE_SIZE}`);
  if (!/^CREATE VIRTUAL TABLE calls_fts USING fts5\s*\(/i.test(data.definition)) throw new Error('Not the calls search index’s definition');
  db.exec(data.definition);
  // As on the writer: segments merge once at the end, not page after page.
  pauseCallIndexMerging(db);
  return db;
}

serveCacheWorker<SearchBuilderData, SearchBuilderRequest, SearchBuilderResponse>(
  (data) => {
    const db = open(data);
    const target = directCallIndex(db);
    return (request) => {
      if (request.type === 'ops') db.transaction(() => replayCallIndexOps(request.ops, target))();
      else {
        resumeCallIndexMerging(db);
        db.close();
      }
      return {};
    };
  },
  (request) => request.type === 'finish',
  // Bulk work: a first pull's threads give way to the main thread (the phone, the window) on a busy machine.
  { background: true },
);
