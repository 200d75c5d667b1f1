import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, contact, disposition, page, seedPage, user } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import { CacheInputError } from './errors';

describe('applyPull', () => {
  const t = useTempCache();
  beforeEach(() => {
  });

  it('applies a page and its cursor', () => {
    const result = t.cache.applyPull(seedPage(10));
    expect(result).toMatchObject({ cursor: 10, hasMore: false });
    expect(t.cache.getCursor()).toBe(10);
    expect(t.cache.directory.account()?.name).toBe('Glow Med Spa');
    expect(t.cache.directory.users().map((u) => u.name)).toEqual(['Adam Admin', 'Rita Reception']);
    expect(t.cache.contacts.get('ct_jane')).toMatchObject({ name: 'Jane Doe', tags: ['vip', 'botox'] });
  });

  it('upserts by id and never rolls a row back to an older seq', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ contacts: [contact('ct_jane', 'Jane Smith', '+14155550123', { seq: 5 })] }, 11));
    expect(t.cache.contacts.get('ct_jane')?.name).toBe('Jane Smith');
    t.cache.applyPull(page({ contacts: [contact('ct_jane', 'Jane Old', '+14155550123', { seq: 3 })] }, 12));
    expect(t.cache.contacts.get('ct_jane')?.name).toBe('Jane Smith');
  });

  it('removes soft-deleted contacts but keeps deleted dispositions (they still label calls)', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: [call('c1', { dispositionId: 'dsp_spam' })] }, 11));
    t.cache.applyPull(
      page(
        {
          contacts: [contact('ct_jose', 'José Álvarez', '+13125550199', { seq: 2, deletedAt: '2025-03-02T00:00:00Z' })],
          dispositions: [disposition('dsp_spam', 'Spam call', 2, { seq: 2, deletedAt: '2025-03-02T00:00:00Z' })],
        },
        12,
      ),
    );
    expect(t.cache.contacts.get('ct_jose')).toBeNull();
    expect(t.cache.search({ query: 'jose' }).contacts).toEqual([]);
    expect(t.cache.dispositions.active().map((d) => d.id)).toEqual(['dsp_booked', 'dsp_follow']);
    expect(t.cache.dispositions.get('dsp_spam')?.deletedAt).toBe('2025-03-02T00:00:00Z');
    expect(t.cache.calls.get('c1')?.disposition).toEqual({ id: 'dsp_spam', label: 'Spam call', deleted: true });
  });

  it('keeps a call task’s outcome (No answer) and its task on the call, as History shows it', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: [call('c1', { direction: 'outbound', taskId: 'tsk_1', taskOutcome: 'no_answer', seq: 11 })] }, 11));
    expect(t.cache.calls.get('c1')?.call).toMatchObject({ taskId: 'tsk_1', taskOutcome: 'no_answer', dispositionId: null });
    // An older cloud sends neither: nothing is invented.
    t.cache.applyPull(page({ calls: [call('c2')] }, 12));
    expect(t.cache.calls.get('c2')?.call).not.toHaveProperty('taskId');
    expect(t.cache.calls.get('c2')?.call).not.toHaveProperty('taskOutcome');
    expect(() => t.cache.applyPull(page({ calls: [call('c3', { taskOutcome: 'hung_up' as never })] }, 13))).toThrow(CacheInputError);
  });

  it('a bad row anywhere in the page applies nothing and keeps the cursor', () => {
    t.cache.applyPull(seedPage(10));
    const bad = page(
      {
        contacts: [contact('ct_new', 'New Person', '+12125551234')],
        calls: [call('c1'), { ...call('c2'), direction: 'sideways' } as never],
      },
      20,
    );
    expect(() => t.cache.applyPull(bad)).toThrow(CacheInputError);
    expect(() => t.cache.applyPull(page({ calls: [call('c3', { startedAt: 'yesterday' })] }, 20))).toThrow(/not an ISO-8601 date/);
    expect(() => t.cache.applyPull({ changes: {}, cursor: 20 })).toThrow(CacheInputError);
    expect(t.cache.getCursor()).toBe(10);
    expect(t.cache.contacts.get('ct_new')).toBeNull();
    expect(t.cache.calls.get('c1')).toBeNull();
  });

  it('checks a pulled number for its E.164 shape only: the cloud validated it when it was saved', () => {
    t.cache.applyPull(seedPage(10));
    // +15555550100 is E.164 in form but no valid number to libphonenumber; the cloud's word stands.
    t.cache.applyPull(page({ contacts: [contact('ct_old', 'Old Number', '+15555550100')] }, 11));
    expect(t.cache.contacts.get('ct_old')?.phone).toBe('+15555550100');
    for (const phone of ['4155550123', '+1 415 555 0123', '+0123456789', '+1415555012345678']) {
      expect(() => t.cache.applyPull(page({ contacts: [contact('ct_bad', 'Bad Number', phone)] }, 12))).toThrow(CacheInputError);
    }
    expect(t.cache.contacts.get('ct_bad')).toBeNull();
    expect(t.cache.getCursor()).toBe(11);
  });

  it('is one transaction: a failure half way through the writes rolls the whole page back', () => {
    t.cache.applyPull(seedPage(10));
    // A valid page whose last call the database refuses (a trigger stands in for a disk or constraint error).
    const raw = new Database(t.file);
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
    expect(() => t.cache.applyPull(doomed)).toThrow(/boom/);
    expect(t.cache.getCursor()).toBe(10);
    expect(t.cache.contacts.get('ct_jane')?.name).toBe('Jane Doe');
    expect(t.cache.directory.user('usr_3')).toBeNull();
    expect(t.cache.calls.history({}).items).toEqual([]);
    expect(t.cache.search({ query: 'renamed' }).contacts).toEqual([]);
  });

  it('refuses a page whose cursor goes backwards', () => {
    t.cache.applyPull(seedPage(10));
    expect(() => t.cache.applyPull(page({ users: [user('usr_9')] }, 5))).toThrow(/cursor went backwards/);
    expect(t.cache.directory.user('usr_9')).toBeNull();
  });

  it('moves a call in history when its start time changes', () => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(page({ calls: [call('c1', { startedAt: '2025-03-01T10:00:00Z' }), call('c2', { startedAt: '2025-03-01T11:00:00Z' })] }, 11));
    t.cache.applyPull(page({ calls: [call('c1', { startedAt: '2025-03-01T12:00:00Z', seq: 2 })] }, 12));
    expect(t.cache.calls.history({}).items.map((i) => i.call.id)).toEqual(['c1', 'c2']);
    expect(t.cache.search({ query: '5550123' }).calls.map((i) => i.call.id)).toEqual(['c1', 'c2']);
  });

  it('keeps what an AI agent left on a call for History (and nothing on other calls)', () => {
    t.cache.applyPull(seedPage(10));
    const agent = {
      summary: 'Ana Ruiz called to book a facial.',
      transcript: [{ role: 'caller' as const, text: 'Book a facial', at: '2025-03-01T10:00:03Z' }],
      actions: [{ type: 'book_appointment', name: 'Book', status: 'done' as const, detail: 'Booked facial', at: '2025-03-01T10:00:05Z' }],
    };
    t.cache.applyPull(page({ calls: [call('c1', { agent, startedAt: '2025-03-01T10:00:00Z' }), call('c2', { startedAt: '2025-03-01T09:00:00Z' })] }, 11));
    const items = t.cache.calls.history({}).items;
    expect(items.find((i) => i.call.id === 'c1')?.call.agent).toEqual(agent);
    expect(items.find((i) => i.call.id === 'c2')?.call).not.toHaveProperty('agent');
  });
});
