/**
 * Entry of the pull writer thread: during a pull of many pages the pages are written here, on the
 * second core, with this thread's own read-write connection to the WAL database, while the main
 * thread fetches and parses the next page and stays free for the phone. Built as
 * out/main/cache-pull-writer.js; started by startPullWriter (pull-writer-client.ts).
 *
 * Each page is one transaction with its cursor, as on the main thread (pull.ts); the search index
 * merges once at the end (search-index.ts), a first pull builds the calls' indexes at the end
 * (deferred-call-indexes.ts) and their search index on a thread of its own (search-aside.ts), and
 * the WAL is checkpointed here, not on the main thread.
 */
import type Database from 'better-sqlite3';
import { openWriteConnection } from './connection';
import { BULK_CACHE_SIZE, BULK_CHECKPOINT_PAGES, checkPullDates, writePullPage, type ContactNames } from './pull';
import type { PullWriterData, PullWriterRequest, PullWriterResponse, SearchIndexOutcome } from './pull-writer-protocol';
import { deferCallIndexes, restoreCallIndexes } from './deferred-call-indexes';
import { adoptAsideBuild, beginAsideBuild, callIndexDefinition, repairAsideBuild, startSearchBuilder, type SearchBuilder } from './search-aside';
import { recordCallIndexOps, type EncodedCallIndexOps } from './search-builder-protocol';
import { pauseCallIndexMerging, resumeCallIndexMerging } from './search-index';
import { serveCacheWorker } from './worker-serve';

interface Writer {
  db: Database.Database;
  /** This pull's calls are indexed aside (search-aside.ts): a first pull into an empty cache. */
  aside: boolean;
  /** The thread building that index; null when it could not start (the writer indexes them at the end). */
  builder: SearchBuilder | null;
}

function open(data: PullWriterData): Writer {
  const db = openWriteConnection(data);
  // Like the main thread's pull pages: atomic, not fsynced (a page lost to a power cut is pulled again).
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
  db.pragma(`cache_size = ${BULK_CACHE_SIZE}`);
  const aside = db.transaction(() => {
    // A first pull cut short: its calls are indexed here, off the main thread, before this pull goes on.
    repairAsideBuild(db, data.file);
    pauseCallIndexMerging(db);
    const first = beginAsideBuild(db);
    deferCallIndexes(db);
    return first;
  }).immediate();
  if (!aside) return { db, aside, builder: null };
  try {
    const definition = callIndexDefinition(db);
    return { db, aside, builder: startSearchBuilder({ cacheFile: data.file, definition, nativeBinding: data.nativeBinding, workerPath: data.searchBuilderPath }) };
  } catch {
    // No second thread: this thread indexes the calls at the end (as after a builder that failed).
    return { db, aside, builder: null };
  }
}

async function finish({ db, builder, aside }: Writer, data: PullWriterData): Promise<SearchIndexOutcome> {
  try {
    db.transaction(() => restoreCallIndexes(db)).immediate();
    const adopted = builder !== null && (await builder.finish()) && adoptAsideBuild({ cacheFile: data.file, nativeBinding: data.nativeBinding });
    // Without an adopted index (no builder, one that failed, a cache emptied meanwhile) the stored calls are indexed here.
    if (aside && !adopted) db.transaction(() => repairAsideBuild(db, data.file, true)).immediate();
    db.transaction(() => resumeCallIndexMerging(db)).immediate();
    db.pragma('wal_checkpoint(PASSIVE)');
    return adopted ? 'adopted' : aside ? 'indexed by the writer' : 'page by page';
  } finally {
    db.close();
  }
}

serveCacheWorker<PullWriterData, PullWriterRequest, PullWriterResponse>(
  (data) => {
    const writer = open(data);
    const { db, builder } = writer;
    // Kept across pages: ~3 % of the writer's time went to looking up the same contacts' names page after page.
    const contactNames: ContactNames = new Map();
    return (request) => {
      if (request.type === 'close') return finish(writer, data).then((searchIndex) => ({ applied: 0, searchIndex }));
      try {
        const page = checkPullDates(request.page);
        // With a builder, the page's index changes are handed over once the page is committed (a page that rolls back hands over nothing).
        const ops: EncodedCallIndexOps = [];
        const callIndex = builder ? recordCallIndexOps(ops) : undefined;
        const applied = db.transaction(() => writePullPage(db, page, request.now, contactNames, callIndex)).immediate();
        if (builder && ops.length > 0) builder.apply(ops);
        return { applied };
      } catch (error) {
        // The page rolled back: names it set may not be in the database.
        contactNames.clear();
        throw error;
      }
    };
  },
  (request) => request.type === 'close',
  // Bulk work: a first pull's threads give way to the main thread (the phone, the window) on a busy machine.
  { background: true },
);
