/**
 * Entry of the pull writer thread: during a pull of many pages the pages are written here, on the
 * second core, with this thread's own read-write connection to the WAL database, while the main
 * thread fetches and parses the next page and stays free for the phone. Built as
 * out/main/cache-pull-writer.js; started by startPullWriter (pull-writer-client.ts).
 *
 * Each page is one transaction with its cursor, as on the main thread (pull.ts); the search index
 * merges once at the end (search-index.ts), a first pull builds the calls' indexes at the end
 * (deferred-call-indexes.ts), and the WAL is checkpointed here, not on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openWriteConnection } from './connection';
import { BULK_CACHE_SIZE, BULK_CHECKPOINT_PAGES, checkPullDates, writePullPage, type ContactNames } from './pull';
import type { PullWriterData, PullWriterRequest, PullWriterResponse, WriterError } from './pull-writer-protocol';
import { deferCallIndexes, restoreCallIndexes } from './deferred-call-indexes';
import { pauseCallIndexMerging, resumeCallIndexMerging } from './search-index';

const serialize = (error: unknown): WriterError => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined };
};

function open(data: PullWriterData): Database.Database {
  const db = openWriteConnection(data);
  // Like the main thread's pull pages: atomic, not fsynced (a page lost to a power cut is pulled again).
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
  db.pragma(`cache_size = ${BULK_CACHE_SIZE}`);
  db.transaction(() => {
    pauseCallIndexMerging(db);
    deferCallIndexes(db);
  }).immediate();
  return db;
}

function finish(db: Database.Database): void {
  try {
    db.transaction(() => restoreCallIndexes(db)).immediate();
    db.transaction(() => resumeCallIndexMerging(db)).immediate();
    db.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    db.close();
  }
}

function start(port: NonNullable<typeof parentPort>, data: PullWriterData): void {
  const post = (message: PullWriterResponse): void => port.postMessage(message);
  let db: Database.Database;
  try {
    db = open(data);
  } catch (error) {
    post({ type: 'fatal', error: serialize(error) });
    port.close();
    return;
  }
  // Kept across pages: ~3 % of the writer's time went to looking up the same contacts' names page after page.
  const contactNames: ContactNames = new Map();
  port.on('message', (request: PullWriterRequest) => {
    if (request.type === 'close') {
      try {
        finish(db);
        post({ type: 'result', id: request.id, ok: true, applied: 0 });
      } catch (error) {
        post({ type: 'result', id: request.id, ok: false, error: serialize(error) });
      }
      port.close();
      return;
    }
    try {
      const page = checkPullDates(request.page);
      const applied = db.transaction(() => writePullPage(db, page, request.now, contactNames)).immediate();
      post({ type: 'result', id: request.id, ok: true, applied });
    } catch (error) {
      // The page rolled back: names it set may not be in the database.
      contactNames.clear();
      post({ type: 'result', id: request.id, ok: false, error: serialize(error) });
    }
  });
  post({ type: 'ready' });
}

if (parentPort) start(parentPort, workerData as PullWriterData);
