import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import { CacheInputError } from './errors';
import type { CacheQueryWorker } from './query-worker-client';
import { createCacheQueryWorker } from './query-worker-client';

// Each test starts a worker thread that compiles its TypeScript entry through tsx: seconds on a busy machine.
describe('cache query worker', { timeout: 30_000 }, () => {
  const t = useTempCache();
  let worker: CacheQueryWorker | undefined;
  beforeEach(() => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(
      page(
        {
          calls: [
            call('c1', { contactId: 'ct_jane', dispositionId: 'dsp_booked', startedAt: '2025-03-01T10:00:00Z' }),
            call('c2', { contactId: 'ct_jane', dispositionId: 'dsp_booked', startedAt: '2025-03-02T10:00:00Z' }),
            call('c3', { dispositionId: 'dsp_follow', userId: 'usr_2', startedAt: '2025-03-03T10:00:00Z' }),
            call('c4', { startedAt: '2025-04-01T10:00:00Z' }),
          ],
        },
        11,
      ),
    );
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  it('runs search, history and reports on its own connection, with the same answers as the main thread', async () => {
    worker = createCacheQueryWorker({ file: t.file });
    await worker.ready;
    expect(await worker.search({ query: '5550123' })).toEqual(t.cache.search({ query: '5550123' }));
    expect(await worker.history({ dispositionId: 'dsp_booked' })).toEqual(t.cache.calls.history({ dispositionId: 'dsp_booked' }));
    const filters = { preset: 'custom', from: '2025-03-01', to: '2025-03-31' } as const;
    const summary = await worker.reportSummary({ filters, ownUserId: 'usr_1' });
    expect(summary).toMatchObject({ origin: 'cache', scope: 'own', timezone: 'America/Los_Angeles' });
    expect(summary.totals.calls).toBe(2);
    expect(summary.byUser).toEqual([{ key: 'usr_1', counts: { dsp_booked: 2 }, total: 2 }]);
    const page = await worker.reportRows({ filters, ownUserId: 'usr_1' });
    expect(page.rows.map((r) => [r.id, r.contactName, r.dispositionLabel])).toEqual([['c2', 'Jane Doe', 'Booked'], ['c1', 'Jane Doe', 'Booked']]);
    expect(page.total).toBe(2);
  });

  it('searches text that JavaScript and SQLite split differently (aᦰb) on its read-only connection', async () => {
    worker = createCacheQueryWorker({ file: t.file });
    // Failed with SQLite's "fts5: phrase queries are not supported (detail!=full)" before.
    expect(await worker.search({ query: 'aᦰb' })).toEqual({ contacts: [], calls: [] });
    expect((await worker.history({ query: 'jaᦰne' })).items).toEqual([]);
    expect((await worker.search({ query: 'ᦰjane' })).contacts.map((c) => c.id)).toEqual(['ct_jane']);
  });

  it('sees what the main connection commits after it started (WAL)', async () => {
    worker = createCacheQueryWorker({ file: t.file });
    expect((await worker.history({})).items).toHaveLength(4);
    t.cache.applyPull(page({ calls: [call('c5', { startedAt: '2025-05-01T10:00:00Z' })] }, 12));
    expect((await worker.history({})).items[0]?.call.id).toBe('c5');
  });

  it('rejects bad parameters with a CacheInputError and keeps serving', async () => {
    worker = createCacheQueryWorker({ file: t.file });
    await expect(worker.reportSummary({ filters: { preset: 'custom', from: 'last week', to: 'now' }, ownUserId: 'usr_1' })).rejects.toBeInstanceOf(CacheInputError);
    expect((await worker.search({ query: 'jane' })).contacts).toHaveLength(1);
  });

  it('fails clearly when the file cannot be opened', async () => {
    worker = createCacheQueryWorker({ file: `${t.dir}/missing.sqlite` });
    await expect(worker.ready).rejects.toThrow(/unable to open|does not exist|no such file/i);
    await expect(worker.search({ query: 'x' })).rejects.toThrow();
  });

  it('rejects queries after close', async () => {
    worker = createCacheQueryWorker({ file: t.file });
    await worker.ready;
    await worker.close();
    await expect(worker.search({ query: 'jane' })).rejects.toThrow(/exited/);
  });
});
