/**
 * The thread side of every cache worker (the query worker, the pull writer, the search builder):
 * open from `workerData`, then say `ready` (or `fatal`, and stop), then answer each request with
 * exactly one result. worker-thread.ts is the main thread's side of the same protocol.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { CacheWorkerReply } from './worker-thread';

/** An error as it crosses the thread: `code` keeps SQLite's (SQLITE_FULL → "disk full" in the status). */
export interface ThreadError {
  name: string;
  message: string;
  code?: string | undefined;
}

export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined };
}

/** How much nicer than the process a background thread is: the main thread (the phone's IPC) runs first on a busy machine. */
const BACKGROUND_NICE_STEP = 10;

/**
 * Lowers this thread's scheduling priority where the OS has one per thread: on Linux a thread's id
 * (from /proc/thread-self) is a valid target of setpriority. Elsewhere (no /proc, or not allowed)
 * nothing changes. Returns whether it did.
 */
export function runInBackground(): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    // Relative to what the thread inherited, so it never runs ahead of a process started nice.
    setPriority(threadId, Math.min(19, getPriority(threadId) + BACKGROUND_NICE_STEP));
    return true;
  } catch {
    return false;
  }
}

/** A successful result's own fields, without the envelope (`type`, `id`, `ok`). */
type ResultFields<Res> = Omit<Extract<Res, { type: 'result'; ok: true }>, 'type' | 'id' | 'ok'>;

/**
 * Serves this thread (nothing happens outside a worker). `open` opens what the thread works on and
 * returns the request handler: a request's result is what it returns (or resolves to), its error
 * what it throws (or rejects with). After a request that `closesWith` names has been answered,
 * however it went, the port closes and the thread can exit. A `background` thread runs at a lower
 * priority than the main thread (runInBackground): bulk work, not what a receptionist waits for.
 */
export function serveCacheWorker<Data, Req extends { id: number }, Res extends CacheWorkerReply<ThreadError>>(
  open: (data: Data) => (request: Req) => ResultFields<Res> | Promise<ResultFields<Res>>,
  closesWith: (request: Req) => boolean,
  options: { background?: boolean } = {},
): void {
  const port = parentPort;
  if (!port) return;
  if (options.background) runInBackground();
  const post = (message: CacheWorkerReply<ThreadError> & Partial<ResultFields<Res>>): void => port.postMessage(message);
  let answer: (request: Req) => ResultFields<Res> | Promise<ResultFields<Res>>;
  try {
    answer = open(workerData as Data);
  } catch (error) {
    post({ type: 'fatal', error: toThreadError(error) });
    port.close();
    return;
  }
  port.on('message', (request: Req) => {
    const succeed = (fields: ResultFields<Res>) => post({ ...fields, type: 'result', id: request.id, ok: true });
    const fail = (error: unknown) => post({ type: 'result', id: request.id, ok: false, error: toThreadError(error) });
    const settled = () => {
      if (closesWith(request)) port.close();
    };
    let result: ResultFields<Res> | Promise<ResultFields<Res>>;
    try {
      result = answer(request);
    } catch (error) {
      fail(error);
      return settled();
    }
    if (result instanceof Promise) return void result.then(succeed, fail).finally(settled);
    succeed(result);
    settled();
  });
  post({ type: 'ready' });
}
