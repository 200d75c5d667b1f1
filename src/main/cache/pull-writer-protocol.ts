import type { PullResponse } from '../../shared/cloud';

/** Messages between the pull writer thread (pull-writer.ts) and its client (pull-writer-client.ts). */
export interface PullWriterData {
  file: string;
  nativeBinding?: string | undefined;
}

export type PullWriterRequest = { id: number; type: 'page'; page: PullResponse; now: number } | { id: number; type: 'close' };

/** An error as it crosses the thread: `code` keeps SQLite's (SQLITE_FULL → "disk full" in the status). */
export interface WriterError {
  name: string;
  message: string;
  code?: string | undefined;
}

export type PullWriterResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: WriterError }
  | { type: 'result'; id: number; ok: true; applied: number }
  | { type: 'result'; id: number; ok: false; error: WriterError };
