import type { PullResponse } from '../../shared/cloud';

/** Messages between the pull writer thread (pull-writer.ts) and its client (pull-writer-client.ts). */
export interface PullWriterData {
  file: string;
  nativeBinding?: string | undefined;
  /** Where the search builder thread's entry is (search-aside.ts), when not beside the writer's own (tests). */
  searchBuilderPath?: string | undefined;
}

export type PullWriterRequest = { id: number; type: 'page'; page: PullResponse; now: number } | { id: number; type: 'close' };

/**
 * How a closing writer left the calls' search index: built aside and adopted (search-aside.ts),
 * indexed again here (no builder, or one that failed), or kept up page by page (not a first pull).
 */
export type SearchIndexOutcome = 'adopted' | 'indexed by the writer' | 'page by page';

/** An error as it crosses the thread: `code` keeps SQLite's (SQLITE_FULL → "disk full" in the status). */
export interface WriterError {
  name: string;
  message: string;
  code?: string | undefined;
}

export function toWriterError(error: unknown): WriterError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined };
}

export type PullWriterResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: WriterError }
  | { type: 'result'; id: number; ok: true; applied: number; searchIndex?: SearchIndexOutcome }
  | { type: 'result'; id: number; ok: false; error: WriterError };
