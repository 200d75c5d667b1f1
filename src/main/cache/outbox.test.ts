import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Mutation, MutationResult } from '../../shared/cloud';
import { call, notification, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import { CacheInputError } from './errors';

const setNote = (key: string, callId: string, note: string): Mutation => ({
  type: 'call.setNote',
  idempotencyKey: key,
  payload: { callId, note },
});
const applied = (key: string): MutationResult => ({ idempotencyKey: key, status: 'applied', replayed: false, entity: 'call', entityId: 'x' });
const rejected = (key: string): MutationResult => ({
  idempotencyKey: key,
  status: 'rejected',
  replayed: false,
  code: 'NOT_FOUND',
  message: 'Call not found',
});

describe('outbox', () => {
  let clock = 1_000_000;
  const t = useTempCache({ now: () => clock });
  beforeEach(() => {
    clock = 1_000_000;
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: [call('c1'), call('c2', { startedAt: '2025-03-01T11:00:00Z' })] }, 11));
  });

  it('returns the stored row, and the row is on disk for the next process', () => {
    const entry = t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'call back'));
    expect(entry).toMatchObject({ idempotencyKey: 'key-00001', type: 'call.setNote', state: 'pending', attempts: 0, createdAt: clock });
    // A second connection (another process after a crash) sees the committed row.
    const other = new Database(t.file, { readonly: true });
    expect(other.prepare('SELECT idempotency_key FROM outbox').pluck().all()).toEqual(['key-00001']);
    other.close();
    t.reopen();
    expect(t.cache.outbox.get('key-00001')?.mutation).toEqual(setNote('key-00001', 'c1', 'call back'));
  });

  it('stores a key once: the same mutation again returns the stored row, a different one is refused', () => {
    const first = t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'a'));
    clock += 10;
    expect(t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'a'))).toEqual(first);
    expect(() => t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'b'))).toThrow(/already used/);
    expect(t.cache.outbox.pendingCount()).toBe(1);
    expect(t.cache.calls.get('c1')?.call.note).toBe('a');
  });

  it('refuses invalid mutations and stores nothing', () => {
    expect(() => t.cache.outbox.enqueue({ type: 'call.setNote', idempotencyKey: 'short', payload: { callId: 'c1', note: 'x' } })).toThrow(
      CacheInputError,
    );
    expect(() => t.cache.outbox.enqueue({ type: 'call.explode', idempotencyKey: 'key-00002', payload: {} })).toThrow(CacheInputError);
    expect(() => t.cache.outbox.enqueue(setNote('key with spaces', 'c1', 'x'))).toThrow(CacheInputError);
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.calls.get('c1')?.call.note).toBeNull();
  });

  it('peeks in enqueue order, only what is due', () => {
    for (let i = 1; i <= 5; i++) t.cache.outbox.enqueue(setNote(`key-0000${i}`, i % 2 ? 'c1' : 'c2', `n${i}`));
    expect(t.cache.outbox.peekBatch(3).map((e) => e.idempotencyKey)).toEqual(['key-00001', 'key-00002', 'key-00003']);
    expect(t.cache.outbox.peekBatch(100, clock - 1)).toEqual([]);
  });

  it('records a failed attempt and holds the row (and later rows of the same call) until its retry time', () => {
    t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'first'));
    t.cache.outbox.enqueue(setNote('key-00002', 'c2', 'other call'));
    t.cache.outbox.enqueue(setNote('key-00003', 'c1', 'second'));
    expect(t.cache.outbox.markFailed(['key-00001'], 'ECONNRESET', clock + 5_000)).toBe(1);
    expect(t.cache.outbox.get('key-00001')).toMatchObject({ attempts: 1, lastError: 'ECONNRESET', nextAttemptAt: clock + 5_000 });
    // key-00003 must not overtake key-00001 (same call); key-00002 may go.
    expect(t.cache.outbox.peekBatch(10).map((e) => e.idempotencyKey)).toEqual(['key-00002']);
    expect(t.cache.outbox.peekBatch(10, clock + 5_000).map((e) => e.idempotencyKey)).toEqual(['key-00001', 'key-00002', 'key-00003']);
    t.cache.outbox.markFailed('key-00001', 'ECONNRESET', clock + 20_000);
    expect(t.cache.outbox.get('key-00001')?.attempts).toBe(2);
  });

  it('removes applied rows and keeps rejected ones, undoing their local effect', () => {
    t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'kept'));
    t.cache.outbox.enqueue(setNote('key-00002', 'c2', 'refused'));
    expect(t.cache.calls.get('c2')?.call.note).toBe('refused');
    const outcome = t.cache.outbox.ack([applied('key-00001'), rejected('key-00002'), applied('key-unknown')]);
    expect(outcome.applied).toBe(1);
    expect(outcome.rejected.map((e) => [e.idempotencyKey, e.lastError])).toEqual([['key-00002', 'NOT_FOUND: Call not found']]);
    expect(outcome.unknown).toEqual(['key-unknown']);
    expect(t.cache.outbox.pendingCount()).toBe(0);
    expect(t.cache.calls.get('c1')?.call.note).toBe('kept');
    expect(t.cache.calls.get('c2')?.call.note).toBeNull();
    expect(t.cache.outbox.rejected().map((e) => e.idempotencyKey)).toEqual(['key-00002']);
    expect(t.cache.outbox.peekBatch(10)).toEqual([]);
    expect(t.cache.outbox.dropRejected()).toBe(1);
    expect(t.cache.outbox.rejected()).toEqual([]);
  });

  it('refuses malformed push results without changing anything', () => {
    t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'x'));
    expect(() => t.cache.outbox.ack([{ idempotencyKey: 'key-00001', status: 'maybe' }])).toThrow(CacheInputError);
    expect(t.cache.outbox.pendingCount()).toBe(1);
  });

  it('keeps an unsent local change through a pull that still has the old value', () => {
    t.cache.outbox.enqueue(setNote('key-00001', 'c1', 'local'));
    t.cache.applyPull(page({ calls: [call('c1', { seq: 2, note: null, status: 'completed', durationSeconds: 180 })] }, 12));
    expect(t.cache.calls.get('c1')?.call).toMatchObject({ note: 'local', durationSeconds: 180 });
    expect(t.cache.calls.get('c1')?.pendingSync).toBe(true);
    t.cache.outbox.ack([applied('key-00001')]);
    expect(t.cache.calls.get('c1')?.pendingSync).toBe(false);
    expect(t.cache.calls.get('c1')?.call.note).toBe('local');
  });

  it('marks a notification read locally with its outbox row, and a pull does not unread it', () => {
    t.cache.applyPull(page({ notifications: [notification('n1'), notification('n2', { createdAt: '2025-03-01T11:00:00Z' })] }, 12));
    expect(t.cache.notifications.unreadCount()).toBe(2);
    t.cache.notifications.markReadLocally('n1', 'key-read-1');
    expect(t.cache.notifications.unreadCount()).toBe(1);
    expect(t.cache.outbox.get('key-read-1')?.type).toBe('notification.markRead');
    t.cache.applyPull(page({ notifications: [notification('n1', { seq: 2, title: 'Missed call (2)' })] }, 13));
    expect(t.cache.notifications.list({ unreadOnly: true }).map((n) => n.id)).toEqual(['n2']);
    expect(t.cache.notifications.list().map((n) => n.id)).toEqual(['n2', 'n1']);
    t.cache.outbox.ack([rejected('key-read-1')]);
    expect(t.cache.notifications.unreadCount()).toBe(2);
  });
});
