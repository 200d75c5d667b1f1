import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, contact, disposition, page, seedPage, tempDir, user } from '../../../test/support/cache-fixtures';
import type { CallCache } from './cache';
import { openCache } from './cache';
import { CacheInputError } from './errors';

describe('applyPull', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: CallCache;
  beforeEach(() => {
    tmp = tempDir();
    cache = openCache({ file: tmp.file });
  });
  afterEach(() => {
    cache.close();
    tmp.cleanup();
  });

  it('applies a page and its cursor', () => {
    const result = cache.applyPull(seedPage(10));
    expect(result).toMatchObject({ cursor: 10, hasMore: false });
    expect(cache.getCursor()).toBe(10);
    expect(cache.directory.account()?.name).toBe('Glow Med Spa');
    expect(cache.directory.users().map((u) => u.name)).toEqual(['Adam Admin', 'Rita Reception']);
    expect(cache.contacts.get('ct_jane')).toMatchObject({ name: 'Jane Doe', tags: ['vip', 'botox'] });
  });

  it('upserts by id and never rolls a row back to an older seq', () => {
    cache.applyPull(seedPage(10));
    cache.applyPull(page({ contacts: [contact('ct_jane', 'Jane Smith', '+14155550123', { seq: 5 })] }, 11));
    expect(cache.contacts.get('ct_jane')?.name).toBe('Jane Smith');
    cache.applyPull(page({ contacts: [contact('ct_jane', 'Jane Old', '+14155550123', { seq: 3 })] }, 12));
    expect(cache.contacts.get('ct_jane')?.name).toBe('Jane Smith');
  });

  it('removes soft-deleted contacts but keeps deleted dispositions (they still label calls)', () => {
    cache.applyPull(seedPage(10));
    cache.applyPull(page({ calls: [call('c1', { dispositionId: 'dsp_spam' })] }, 11));
    cache.applyPull(
      page(
        {
          contacts: [contact('ct_jose', 'José Álvarez', '+13125550199', { seq: 2, deletedAt: '2025-03-02T00:00:00Z' })],
          dispositions: [disposition('dsp_spam', 'Spam call', 2, { seq: 2, deletedAt: '2025-03-02T00:00:00Z' })],
        },
        12,
      ),
    );
    expect(cache.contacts.get('ct_jose')).toBeNull();
    expect(cache.search({ query: 'jose' }).contacts).toEqual([]);
    expect(cache.dispositions.active().map((d) => d.id)).toEqual(['dsp_booked', 'dsp_follow']);
    expect(cache.dispositions.get('dsp_spam')?.deletedAt).toBe('2025-03-02T00:00:00Z');
    expect(cache.calls.get('c1')?.disposition).toEqual({ id: 'dsp_spam', label: 'Spam call', deleted: true });
  });

  it('a bad row anywhere in the page applies nothing and keeps the cursor', () => {
    cache.applyPull(seedPage(10));
    const bad = page(
      {
        contacts: [contact('ct_new', 'New Person', '+12125551234')],
        calls: [call('c1'), { ...call('c2'), direction: 'sideways' } as never],
      },
      20,
    );
    expect(() => cache.applyPull(bad)).toThrow(CacheInputError);
    expect(() => cache.applyPull(page({ calls: [call('c3', { startedAt: 'yesterday' })] }, 20))).toThrow(/not an ISO-8601 date/);
    expect(() => cache.applyPull({ changes: {}, cursor: 20 })).toThrow(CacheInputError);
    expect(cache.getCursor()).toBe(10);
    expect(cache.contacts.get('ct_new')).toBeNull();
    expect(cache.calls.get('c1')).toBeNull();
  });

  it('is one transaction: a failure half way through the writes rolls the whole page back', () => {
    cache.applyPull(seedPage(10));
    // A valid page whose last call the database refuses (a trigger stands in for a disk or constraint error).
    const raw = new Database(tmp.file);
    raw.exec("CREATE TRIGGER boom BEFORE INSERT ON calls WHEN NEW.id = 'c_boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
    raw.close();
    const calls = Array.from({ length: 50 }, (_, i) => call(`c${i}`, { startedAt: `2025-03-01T10:${String(i).padStart(2, '0')}:00.000Z` }));
    const doomed = page(
      {
        contacts: [contact('ct_jane', 'Jane Renamed', '+14155550123', { seq: 9 })],
        users: [user('usr_3')],
        calls: [...calls, call('c_boom')],
      },
      30,
    );
    expect(() => cache.applyPull(doomed)).toThrow(/boom/);
    expect(cache.getCursor()).toBe(10);
    expect(cache.contacts.get('ct_jane')?.name).toBe('Jane Doe');
    expect(cache.directory.user('usr_3')).toBeNull();
    expect(cache.calls.history({}).items).toEqual([]);
    expect(cache.search({ query: 'renamed' }).contacts).toEqual([]);
  });

  it('refuses a page whose cursor goes backwards', () => {
    cache.applyPull(seedPage(10));
    expect(() => cache.applyPull(page({ users: [user('usr_9')] }, 5))).toThrow(/cursor went backwards/);
    expect(cache.directory.user('usr_9')).toBeNull();
  });

  it('moves a call in history when its start time changes', () => {
    cache.applyPull(seedPage(10));
    cache.applyPull(page({ calls: [call('c1', { startedAt: '2025-03-01T10:00:00Z' }), call('c2', { startedAt: '2025-03-01T11:00:00Z' })] }, 11));
    cache.applyPull(page({ calls: [call('c1', { startedAt: '2025-03-01T12:00:00Z', seq: 2 })] }, 12));
    expect(cache.calls.history({}).items.map((i) => i.call.id)).toEqual(['c1', 'c2']);
    expect(cache.search({ query: '5550123' }).calls.map((i) => i.call.id)).toEqual(['c1', 'c2']);
  });
});
