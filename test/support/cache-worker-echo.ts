/**
 * A cache worker entry for worker-serve.test.ts: serves requests that succeed, throw or reject,
 * at once or later, so the thread side of the protocol can be checked apart from any database.
 */
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { serveCacheWorker } from '../../src/main/cache/worker-serve';
import type { CacheWorkerReply } from '../../src/main/cache/worker-thread';
import type { ThreadError } from '../../src/main/cache/worker-serve';

export type EchoRequest = { id: number; kind: 'echo' | 'nice' | 'throw' | 'later' | 'reject' | 'close' | 'close-failing'; text: string };
export type EchoResponse = CacheWorkerReply<ThreadError> | { type: 'result'; id: number; ok: true; text: string };

serveCacheWorker<{ failOpen?: string; background?: boolean }, EchoRequest, EchoResponse>(
  (data) => {
    if (data.failOpen) throw Object.assign(new Error(data.failOpen), { code: 'SQLITE_CANTOPEN' });
    return (request) => {
      switch (request.kind) {
        case 'echo':
        case 'close':
          return { text: request.text };
        case 'nice':
          // This thread's own scheduling priority (Linux: its id from /proc/thread-self).
          return { text: String(getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()))) };
        case 'later':
          return new Promise((resolve) => setTimeout(() => resolve({ text: request.text }), 5));
        case 'reject':
          return Promise.reject(new RangeError(request.text));
        case 'throw':
        case 'close-failing':
          throw Object.assign(new TypeError(request.text), { code: 'SQLITE_FULL' });
      }
    };
  },
  (request) => request.kind === 'close' || request.kind === 'close-failing',
  { background: Boolean((workerData as { background?: boolean }).background) },
);
