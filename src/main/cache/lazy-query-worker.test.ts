import { describe, expect, it, vi } from 'vitest';
import { lazyCacheQueryWorker } from './lazy-query-worker';
import type { CacheQueryWorker } from './query-worker-client';

function fakeWorker(): CacheQueryWorker {
  return {
    ready: Promise.resolve(),
    search: vi.fn(async () => ({ contacts: [], calls: [] }) as never),
    history: vi.fn(async () => ({ items: [], nextCursor: null }) as never),
    reportSummary: vi.fn(async () => ({}) as never),
    reportRows: vi.fn(async () => ({}) as never),
    reportCsv: vi.fn(async () => ({}) as never),
    reportOptions: vi.fn(async () => ({}) as never),
    close: vi.fn(async () => undefined),
  };
}

describe('lazyCacheQueryWorker', () => {
  it('starts no worker until the first query, then one worker for every query', async () => {
    const worker = fakeWorker();
    const start = vi.fn(() => worker);
    const queries = lazyCacheQueryWorker(start);
    expect(start).not.toHaveBeenCalled();
    expect(queries.started).toBe(false);

    await queries.history({ limit: 10 } as never);
    await queries.search({ query: 'ava' } as never);
    expect(start).toHaveBeenCalledTimes(1);
    expect(queries.started).toBe(true);
    expect(worker.history).toHaveBeenCalledWith({ limit: 10 });
    expect(worker.search).toHaveBeenCalledWith({ query: 'ava' });
  });

  it('closes the worker it started, and starts none just to close it', async () => {
    const never = vi.fn(fakeWorker);
    await lazyCacheQueryWorker(never).close();
    expect(never).not.toHaveBeenCalled();

    const worker = fakeWorker();
    const queries = lazyCacheQueryWorker(() => worker);
    await queries.reportOptions({ ownUserId: 'usr_1' } as never);
    await queries.close();
    expect(worker.close).toHaveBeenCalledTimes(1);
  });

  it('a query after close is rejected, and no worker is started for it', async () => {
    const start = vi.fn(fakeWorker);
    const queries = lazyCacheQueryWorker(start);
    await queries.close();
    await expect(queries.history({} as never)).rejects.toThrow(/closed/);
    expect(start).not.toHaveBeenCalled();
  });

  it('a worker that fails to start fails the query that started it, with its own error', async () => {
    const queries = lazyCacheQueryWorker(() => {
      throw new Error('no sqlite binding');
    });
    await expect(queries.search({} as never)).rejects.toThrow('no sqlite binding');
  });
});
