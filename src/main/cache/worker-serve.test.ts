import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EchoRequest, EchoResponse } from '../../../test/support/cache-worker-echo';
import { toThreadError, type ThreadError } from './worker-serve';
import { cacheWorkerCalls, startCacheWorker } from './worker-thread';

const ENTRY = fileURLToPath(new URL('../../../test/support/cache-worker-echo.ts', import.meta.url));

/** Starts the echo worker and the main side's calls to it; errors come back as `Name [code]: message`. */
function startEcho(data: { failOpen?: string; background?: boolean } = {}) {
  const worker = startCacheWorker({ source: 'unused.ts', built: 'unused.js' }, data, 'echo', ENTRY);
  const calls = cacheWorkerCalls<EchoRequest, ThreadError, EchoResponse, string>(worker, {
    revive: (error) => new Error(`${error.name} [${error.code ?? '-'}]: ${error.message}`),
    valueOf: (result) => ('text' in result ? result.text : ''),
    exitError: (code) => new Error(`exited ${code}`),
  });
  const ask = (kind: EchoRequest['kind'], text: string = kind) => calls.send({ id: calls.nextId(), kind, text });
  return { worker, calls, ask };
}

describe('toThreadError', () => {
  it('keeps an error’s name, message and a string code, and says what a thrown non-error was', () => {
    expect(toThreadError(Object.assign(new RangeError('disk'), { code: 'SQLITE_FULL' }))).toEqual({ name: 'RangeError', message: 'disk', code: 'SQLITE_FULL' });
    expect(toThreadError(Object.assign(new Error('x'), { code: 5 }))).toEqual({ name: 'Error', message: 'x', code: undefined });
    expect(toThreadError('plain')).toEqual({ name: 'Error', message: 'plain' });
  });
});

// Each test starts a thread that compiles its TypeScript entry through tsx: seconds on a busy machine.
describe('serveCacheWorker (the thread side of a cache worker)', { timeout: 30_000 }, () => {
  it('answers each request once, in order: results, thrown and rejected errors with their code, sync or later', async () => {
    const { worker, calls, ask } = startEcho();
    await calls.ready;
    const answers = await Promise.allSettled([ask('echo', 'one'), ask('throw', 'bad'), ask('later', 'two'), ask('reject', 'worse'), ask('echo', 'three')]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
      'one',
      'TypeError [SQLITE_FULL]: bad',
      'two',
      'RangeError [-]: worse',
      'three',
    ]);
    await worker.terminate();
  });

  it('says fatal with the cause when it cannot open, and every request is refused', async () => {
    const { calls, ask } = startEcho({ failOpen: 'cannot open the cache' });
    await expect(calls.ready).rejects.toThrow('Error [SQLITE_CANTOPEN]: cannot open the cache');
    await expect(ask('echo')).rejects.toThrow('cannot open the cache');
    await calls.exit;
  });

  it('lets the thread exit once a closing request is answered, whether it succeeded or failed', async () => {
    for (const kind of ['close', 'close-failing'] as const) {
      const { calls, ask } = startEcho();
      const answer = ask(kind, 'bye').then(
        (value) => value,
        (error: Error) => error.message,
      );
      expect(await answer).toBe(kind === 'close' ? 'bye' : 'TypeError [SQLITE_FULL]: bye');
      await calls.exit; // the port closed: nothing keeps the thread alive
      expect(calls.exited()).toBe(true);
    }
  });

  // Per-thread priorities are Linux's (a thread id is a setpriority target); elsewhere it changes nothing.
  it.runIf(process.platform === 'linux' && existsSync('/proc/thread-self'))('runs a background thread below the main thread’s priority, and only that thread', async () => {
    const mainBefore = getPriority();
    const background = startEcho({ background: true });
    const normal = startEcho();
    expect(Number(await background.ask('nice'))).toBe(Math.min(19, mainBefore + 10));
    expect(Number(await normal.ask('nice'))).toBe(mainBefore);
    expect(getPriority()).toBe(mainBefore);
    await Promise.all([background.worker.terminate(), normal.worker.terminate()]);
  });
});
