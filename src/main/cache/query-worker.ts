/**
 * Entry of the cache query worker thread: its own read-only connection to the WAL database, so
 * search, history and reporting never block the main process's event loop. Built as
 * out/main/cache-query-worker.js; started by createCacheQueryWorker (query-worker-client.ts).
 */
import type Database from 'better-sqlite3';
import { openReadConnection } from './connection';
import { history, search } from './queries';
import type { QueryMethods, QueryRequest, QueryResponse, QueryWorkerData } from './query-protocol';
import { cacheReportCsv, cacheReportOptions, cacheReportRows, cacheReportSummary } from './report';
import { serveCacheWorker } from './worker-serve';

type Params<M extends keyof QueryMethods> = QueryMethods[M]['params'];

function run(db: Database.Database, request: Exclude<QueryRequest, { method: 'close' }>): unknown {
  switch (request.method) {
    case 'search':
      return search(db, request.params as Params<'search'>);
    case 'history':
      return history(db, request.params as Params<'history'>);
    case 'reportSummary':
      return cacheReportSummary(db, request.params as Params<'reportSummary'>);
    case 'reportRows':
      return cacheReportRows(db, request.params as Params<'reportRows'>);
    case 'reportCsv':
      return cacheReportCsv(db, request.params as Params<'reportCsv'>);
    case 'reportOptions':
      return cacheReportOptions(db, (request.params as Params<'reportOptions'>).ownUserId);
  }
}

serveCacheWorker<QueryWorkerData, QueryRequest, QueryResponse>(
  (data) => {
    const db = openReadConnection(data);
    return (request) => {
      if (request.method !== 'close') return { value: run(db, request) };
      db.close();
      return { value: null };
    };
  },
  (request) => request.method === 'close',
);
