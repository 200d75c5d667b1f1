import type { CallIndexTarget, CallSearchFields } from './search-index';
import type { ThreadError } from './worker-serve';

/** Messages between the pull writer thread and the search builder thread it starts (search-builder.ts). */
export interface SearchBuilderData {
  /** The scratch database the index is built in (search-aside.ts names it beside the cache). */
  file: string;
  /** calls_fts's CREATE statement as the cache holds it, so the scratch table is the same table. */
  definition: string;
  nativeBinding?: string | undefined;
}

/**
 * One page's changes to the calls' index, flat: OP_WIDTH values per change (sort key, replacing,
 * then the call's fields, or nulls for an unindex). A page of 5,000 calls crosses the thread as one
 * array of strings and numbers, which copies several times faster than 5,000 small objects.
 */
export type EncodedCallIndexOps = (string | number | null)[];
const OP_WIDTH = 7;

export type SearchBuilderRequest = { id: number; type: 'ops'; ops: EncodedCallIndexOps } | { id: number; type: 'finish' };

export type SearchBuilderResponse =
  | { type: 'ready' }
  | { type: 'fatal'; error: ThreadError }
  | { type: 'result'; id: number; ok: true }
  | { type: 'result'; id: number; ok: false; error: ThreadError };

/** A CallIndexTarget that records the changes, encoded, into `ops`. */
export function recordCallIndexOps(ops: EncodedCallIndexOps): CallIndexTarget {
  return {
    index: (sortKey, call, replacing) => ops.push(sortKey, replacing ? 1 : 0, call.contactName, call.direction, call.from, call.to, call.note),
    unindex: (sortKey) => ops.push(sortKey, 1, null, null, null, null, null),
  };
}

/** Applies recorded changes, in order, to `target`. */
export function replayCallIndexOps(ops: EncodedCallIndexOps, target: CallIndexTarget): void {
  if (ops.length % OP_WIDTH !== 0) throw new Error(`Call index changes arrived cut (${ops.length} values)`);
  for (let i = 0; i < ops.length; i += OP_WIDTH) {
    const sortKey = ops[i] as number;
    const direction = ops[i + 3] as CallSearchFields['direction'] | null;
    if (direction === null) {
      target.unindex(sortKey);
      continue;
    }
    const call: CallSearchFields = {
      contactName: ops[i + 2] as string | null,
      direction,
      from: ops[i + 4] as string,
      to: ops[i + 5] as string,
      note: ops[i + 6] as string | null,
    };
    target.index(sortKey, call, ops[i + 1] === 1);
  }
}
