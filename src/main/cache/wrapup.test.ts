import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, page, seedPage, tempDir } from '../../../test/support/cache-fixtures';
import type { CallCache } from './cache';
import { openCache } from './cache';
import { CacheInputError } from './errors';

describe('wrap-ups and setDispositionLocally', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: CallCache;
  beforeEach(() => {
    tmp = tempDir();
    cache = openCache({ file: tmp.file });
    cache.applyPull(seedPage(10));
    cache.applyPull(page({ calls: [call('c1', { twilioCallSid: 'CA1' })] }, 11));
  });
  afterEach(() => {
    cache.close();
    tmp.cleanup();
  });

  it('keeps a pending wrap-up across a restart', () => {
    cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z', locationId: 'loc_1' });
    cache.wrapups.upsert({ twilioCallSid: 'CA0', endedAt: '2025-03-01T09:00:00Z' });
    cache.wrapups.upsert({ twilioCallSid: 'CA1', endedAt: '2025-03-01T10:03:00Z', dispositionId: 'dsp_booked', note: 'booked' });
    cache.close();
    cache = openCache({ file: tmp.file });
    expect(cache.wrapups.list()).toMatchObject([
      { twilioCallSid: 'CA0', callId: null, state: 'pending' },
      { twilioCallSid: 'CA1', callId: 'c1', locationId: 'loc_1', dispositionId: 'dsp_booked', note: 'booked', state: 'chosen' },
    ]);
    expect(cache.wrapups.resolve('CA0')).toBe(true);
    expect(cache.wrapups.resolve('CA0')).toBe(false);
    expect(() => cache.wrapups.upsert({ twilioCallSid: '', endedAt: 'soon' })).toThrow(CacheInputError);
  });

  it('writes the call, the outbox row and the end of the wrap-up atomically', () => {
    cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z' });
    const entry = cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', note: 'Botox Tue', idempotencyKey: 'wrap-c1-0001' });
    expect(entry.mutation).toEqual({
      type: 'call.setDisposition',
      idempotencyKey: 'wrap-c1-0001',
      payload: { callId: 'c1', dispositionId: 'dsp_booked', note: 'Botox Tue' },
    });
    expect(cache.calls.get('c1')).toMatchObject({
      call: { dispositionId: 'dsp_booked', note: 'Botox Tue' },
      disposition: { label: 'Booked', deleted: false },
      pendingSync: true,
    });
    expect(cache.wrapups.list()).toEqual([]);
    expect(cache.calls.history({ query: 'botox' }).items.map((i) => i.call.id)).toEqual(['c1']);
  });

  it('rolls everything back when one part fails', () => {
    cache.wrapups.upsert({ twilioCallSid: 'CA1', callId: 'c1', endedAt: '2025-03-01T10:03:00Z' });
    const raw = new Database(tmp.file);
    raw.exec("CREATE TRIGGER boom BEFORE DELETE ON wrapups BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    raw.close();
    expect(() => cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'wrap-c1-0001' })).toThrow(
      /disk on fire/,
    );
    expect(cache.calls.get('c1')?.call.dispositionId).toBeNull();
    expect(cache.outbox.pendingCount()).toBe(0);
    expect(cache.wrapups.list()).toHaveLength(1);
  });

  it('refuses an unknown or deleted disposition and writes nothing', () => {
    expect(() => cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_nope', idempotencyKey: 'wrap-c1-0001' })).toThrow(
      /Unknown disposition/,
    );
    cache.applyPull(page({ dispositions: [{ id: 'dsp_spam', accountId: 'acc_1', label: 'Spam call', position: 2, seq: 2, deletedAt: '2025-03-02T00:00:00Z' }] }, 12));
    expect(() => cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_spam', idempotencyKey: 'wrap-c1-0002' })).toThrow(
      /was deleted/,
    );
    expect(() => cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'bad key!' })).toThrow(
      CacheInputError,
    );
    expect(cache.outbox.pendingCount()).toBe(0);
    expect(cache.calls.get('c1')?.call.dispositionId).toBeNull();
  });

  it('applies a choice made before the call was pulled when it arrives', () => {
    cache.wrapups.upsert({ twilioCallSid: 'CA9', callId: 'c9', endedAt: '2025-03-01T12:00:00Z' });
    cache.calls.setDispositionLocally({ callId: 'c9', dispositionId: 'dsp_follow', idempotencyKey: 'wrap-c9-0001', twilioCallSid: 'CA9' });
    expect(cache.wrapups.list()).toEqual([]);
    cache.applyPull(page({ calls: [call('c9', { twilioCallSid: 'CA9', dispositionId: null })] }, 12));
    expect(cache.calls.get('c9')?.disposition?.label).toBe('Follow Up');
    // Once the cloud has it, its value wins.
    cache.outbox.ack([{ idempotencyKey: 'wrap-c9-0001', status: 'applied', replayed: false, entity: 'call', entityId: 'c9' }]);
    cache.applyPull(page({ calls: [call('c9', { twilioCallSid: 'CA9', dispositionId: 'dsp_follow', seq: 2 })] }, 13));
    expect(cache.calls.get('c9')).toMatchObject({ call: { dispositionId: 'dsp_follow' }, pendingSync: false });
  });

  it('keeps the signed-in user', () => {
    const rita = cache.directory.user('usr_1')!;
    cache.session.setUser(rita);
    expect(cache.session.user()?.name).toBe('Rita Reception');
    expect(() => cache.session.setUser({ ...rita, role: 'owner' } as never)).toThrow(CacheInputError);
    expect(cache.session.user()?.role).toBe('user');
  });

  it('forgets everything on clearUserData', () => {
    cache.calls.setDispositionLocally({ callId: 'c1', dispositionId: 'dsp_booked', idempotencyKey: 'wrap-c1-0001' });
    cache.syncMeta.set('lastPushAt', '2025-03-01T00:00:00Z');
    expect(() => cache.syncMeta.set('cursor', 99)).toThrow(CacheInputError);
    expect(cache.syncMeta.get('lastPushAt')).toBe('2025-03-01T00:00:00Z');
    cache.clearUserData();
    expect(cache.getCursor()).toBe(0);
    expect(cache.outbox.pendingCount()).toBe(0);
    expect(cache.calls.history({}).items).toEqual([]);
    expect(cache.search({ query: 'jane' })).toEqual({ contacts: [], calls: [] });
  });
});
