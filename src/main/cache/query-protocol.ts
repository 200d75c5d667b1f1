import type { DispositionReport, HistoryFilters, HistoryPage, ReportParams, SearchInput, SearchResult } from './types';

/** Messages between the cache query worker and its client. */
export interface QueryMethods {
  search: { params: SearchInput; result: SearchResult };
  history: { params: HistoryFilters; result: HistoryPage };
  report: { params: ReportParams; result: DispositionReport };
}
export type QueryMethod = keyof QueryMethods;

export interface QueryWorkerData {
  file: string;
  nativeBinding?: string | undefined;
}

export type QueryRequest = { id: number; method: QueryMethod; params: unknown } | { id: number; method: 'close' };

export interface SerializedError {
  name: string;
  message: string;
}

export type QueryResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: SerializedError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };
