import type { ThreadError } from './worker-serve';
import type { ReportOptions, ReportPage, ReportSummary } from '../../shared/cloud/reports';
import type { CacheReportCsvRequest, CacheReportRequest, CacheReportRowsRequest } from './report';
import type { HistoryFilters, HistoryPage, SearchInput, SearchResult } from './types';

/** Messages between the cache query worker and its client. */
export interface QueryMethods {
  search: { params: SearchInput; result: SearchResult };
  history: { params: HistoryFilters; result: HistoryPage };
  reportSummary: { params: CacheReportRequest; result: ReportSummary };
  reportRows: { params: CacheReportRowsRequest; result: ReportPage };
  reportCsv: { params: CacheReportCsvRequest; result: { rows: number; bytes: number } };
  reportOptions: { params: { ownUserId: string }; result: ReportOptions };
}
export type QueryMethod = keyof QueryMethods;

export interface QueryWorkerData {
  file: string;
  nativeBinding?: string | undefined;
}

export type QueryRequest = { id: number; method: QueryMethod; params: unknown } | { id: number; method: 'close' };

export type QueryResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: ThreadError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ThreadError };
