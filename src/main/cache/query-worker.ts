/**
 * Entry of the cache query worker thread: its own read-only connection to the WAL database, so
 * search, history and reporting never block the main process's event loop. Built as
 * out/main/cache-query-worker.js; started by createCacheQueryWorker (query-worker-client.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openReadConnection } from './connection';
import { history, search } from './queries';
import type { QueryMethods, QueryRequest, QueryResponse, QueryWorkerData, SerializedError } from './query-protocol';
import { cacheReportCsv, cacheReportOptions, cacheReportRows, cacheReportSummary } from './report';

const serialize = (error: unknown): SerializedError =>
  error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };

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

function start(port: NonNullable<typeof parentPort>, data: QueryWorkerData): void {
  const post = (message: QueryResponse): void => port.postMessage(message);
  let db: Database.Database;
  try {
    db = openReadConnection(data);
  } catch (error) {
    post({ type: 'fatal', error: serialize(error) });
    port.close();
    return;
  }
  port.on('message', (request: QueryRequest) => {
    if (request.method === 'close') {
      db.close();
      post({ type: 'result', id: request.id, ok: true, value: null });
      port.close();
      return;
    }
    try {
      post({ type: 'result', id: request.id, ok: true, value: run(db, request) });
    } catch (error) {
      post({ type: 'result', id: request.id, ok: false, error: serialize(error) });
    }
  });
  post({ type: 'ready' });
}

if (parentPort) start(parentPort, workerData as QueryWorkerData);
