import type { ThreadError } from './worker-serve';
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


export type PullWriterResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: ThreadError }
  | { type: 'result'; id: number; ok: true; applied: number; searchIndex?: SearchIndexOutcome }
  | { type: 'result'; id: number; ok: false; error: ThreadError };
