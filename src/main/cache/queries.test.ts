import { beforeEach, describe, expect, it } from 'vitest';
import { call, contact, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import type { CallCache } from './cache';
import type { Call } from '../../shared/cloud';
import { isMissed, reportStatusOf, talkSecondsOf } from '../../shared/reporting/status';
import { CacheInputError } from './errors';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute)).toISOString();

describe('cache queries', () => {
  const t = useTempCache();
  beforeEach(() => {
    t.cache.applyPull(seedPage(10));
    t.cache.applyPull(
      page(
        {
          calls: [
            call('c1', { contactId: 'ct_jane', startedAt: at(0), dispositionId: 'dsp_booked', note: 'Booked lip filler' }),
            call('c2', { contactId: 'ct_jane', startedAt: at(10), dispositionId: 'dsp_follow', userId: 'usr_2' }),
            call('c3', { from: '+13125550199', contactId: 'ct_jose', startedAt: at(20) }),
            call('c4', { direction: 'outbound', from: '+13105550100', to: '+16175550000', startedAt: at(30), dispositionId: 'dsp_booked' }),
          ],
        },
        11,
      ),
    );
  });

  describe('full-text search', () => {
    const contactIds = (q: string) => t.cache.search({ query: q }).contacts.map((c) => c.id);
    const callIds = (q: string) => t.cache.search({ query: q }).calls.map((c) => c.call.id);

    it('finds contacts by name prefix, accents folded, email and tag', () => {
      expect(contactIds('jan')).toEqual(['ct_jane']);
      expect(contactIds('jane do')).toEqual(['ct_jane']);
      expect(contactIds('jose alv')).toEqual(['ct_jose']);
      expect(contactIds('jane@example')).toEqual(['ct_jane']);
      expect(contactIds('botox')).toEqual(['ct_jane']);
      expect(contactIds('nobody')).toEqual([]);
    });

    it('finds a contact with an international email domain by what is typed, in Unicode or xn--', () => {
      t.cache.applyPull(page({ contacts: [contact('ct_anna', 'Anna Buch', null, { email: 'anna@bücher.de' }), contact('ct_ida', 'Ida Idn', null, { email: 'ida@xn--bcher-kva.de' })] }, 12));
      expect(contactIds('bücher').sort()).toEqual(['ct_anna', 'ct_ida']);
      expect(contactIds('anna@bücher.de')).toEqual(['ct_anna']);
      expect(contactIds('xn--bcher-kva').sort()).toEqual(['ct_anna', 'ct_ida']);
      expect(contactIds('ida@bücher')).toEqual(['ct_ida']);
    });

    it('finds contacts by partial or formatted phone digits', () => {
      expect(contactIds('5550123')).toEqual(['ct_jane']);
      expect(contactIds('(415) 555-0123')).toEqual(['ct_jane']);
      expect(contactIds('+1 312 555')).toEqual(['ct_jose']);
      expect(contactIds('0199')).toEqual(['ct_jose']);
      expect(contactIds('555')).toEqual(expect.arrayContaining(['ct_jane', 'ct_jose']));
    });

    it('finds calls by contact name, either number and note, newest first', () => {
      expect(callIds('jane')).toEqual(['c2', 'c1']);
      expect(callIds('5550123')).toEqual(['c2', 'c1']);
      expect(callIds('617 555')).toEqual(['c4']);
      // The practice's own line matches whole (with or without +1), not by any part of it.
      expect(callIds('3105550100')).toEqual(['c4', 'c3', 'c2', 'c1']);
      expect(callIds('+1 (310) 555-0100')).toEqual(['c4', 'c3', 'c2', 'c1']);
      expect(callIds('5550100')).toEqual([]);
      expect(callIds('lip fil')).toEqual(['c1']);
    });

    it('follows a contact rename into its calls', () => {
      t.cache.applyPull(page({ contacts: [contact('ct_jane', 'Janet Moss', '+14155550123', { seq: 2 })] }, 12));
      expect(callIds('moss')).toEqual(['c2', 'c1']);
      expect(t.cache.calls.get('c1')?.contactName).toBe('Janet Moss');
    });

    it('indexes calls that arrive before their contact', () => {
      t.cache.applyPull(page({ calls: [call('c5', { contactId: 'ct_late', from: '+12125551234', startedAt: at(40) })] }, 12));
      expect(callIds('beatrix')).toEqual([]);
      t.cache.applyPull(page({ contacts: [contact('ct_late', 'Beatrix Kiddo', '+12125551234')] }, 13));
      expect(callIds('beatrix')).toEqual(['c5']);
    });

    it('treats FTS5 syntax in the query as text', () => {
      expect(() => t.cache.search({ query: 'jane" OR "*' })).not.toThrow();
      expect(t.cache.search({ query: '"*' })).toEqual({ contacts: [], calls: [] });
      expect(() => t.cache.search({ query: 'x'.repeat(500) })).toThrow(CacheInputError);
    });

    it('with nothing typed lists the contacts A–Z (case aside), up to the limit, and no calls', () => {
      t.cache.applyPull(page({ contacts: [contact('ct_zoe', 'Zoe Wu', null), contact('ct_aaron', 'aaron Lee', '+12125550000')] }, 12));
      expect(t.cache.search({ query: '   ' })).toEqual({ contacts: expect.any(Array), calls: [] });
      expect(contactIds('')).toEqual(['ct_aaron', 'ct_jane', 'ct_jose', 'ct_zoe']);
      expect(t.cache.search({ query: '', limit: 2 }).contacts.map((c) => c.id)).toEqual(['ct_aaron', 'ct_jane']);
    });
  });

  describe('findByPhone (incoming-call screen pop)', () => {
    it('returns the contact, their assigned user and the last call with its disposition', () => {
      const pop = t.cache.contacts.findByPhone('+14155550123');
      expect(pop?.contact).toMatchObject({ id: 'ct_jane', name: 'Jane Doe', tags: ['vip', 'botox'] });
      expect(pop?.assignedUser).toEqual({ id: 'usr_2', name: 'Adam Admin' });
      expect(pop?.lastCall?.call.id).toBe('c2');
      expect(pop?.lastCall?.disposition).toEqual({ id: 'dsp_follow', label: 'Follow Up', deleted: false });
      expect(pop?.lastCall?.userName).toBe('Adam Admin');
    });

    it('last call is the most recent FINISHED one: never the call ringing (or live) now, for a contact or an unknown number', () => {
      t.cache.applyPull(
        page(
          {
            calls: [
              call('c5', { contactId: 'ct_jane', startedAt: at(50), status: 'ringing', answeredAt: null, endedAt: null, durationSeconds: null }),
              call('c6', { from: '+16175550000', to: '+13105550100', startedAt: at(51), status: 'in-progress', endedAt: null, durationSeconds: null }),
            ],
          },
          12,
        ),
      );
      expect(t.cache.contacts.findByPhone('+14155550123')?.lastCall?.call.id).toBe('c2');
      expect(t.cache.contacts.findByPhone('+16175550000')?.lastCall?.call.id).toBe('c4');
      // The cloud reports the end: now it is the last call.
      t.cache.applyPull(page({ calls: [call('c5', { contactId: 'ct_jane', startedAt: at(50), status: 'missed', answeredAt: null, seq: 2 })] }, 13));
      expect(t.cache.contacts.findByPhone('+14155550123')?.lastCall?.call).toMatchObject({ id: 'c5', status: 'missed' });
    });

    it('a disposition logged locally shows at once, before the cloud has even reported the call ended', () => {
      t.cache.applyPull(page({ calls: [call('c7', { contactId: 'ct_jane', startedAt: at(55), status: 'in-progress', endedAt: null, durationSeconds: null, userId: 'usr_2' })] }, 12));
      expect(t.cache.contacts.findByPhone('+14155550123')?.lastCall?.call.id).toBe('c2');
      t.cache.calls.setDispositionLocally({ callId: 'c7', dispositionId: 'dsp_booked', idempotencyKey: 'k-c7-booked' });
      const last = t.cache.contacts.findByPhone('+14155550123')?.lastCall;
      expect(last?.call.id).toBe('c7');
      expect(last?.disposition).toEqual({ id: 'dsp_booked', label: 'Booked', deleted: false });
      expect(last?.userName).toBe('Adam Admin');
      expect(last?.call.startedAt).toBe(at(55));
      expect(last?.pendingSync).toBe(true);
    });

    it('of two calls in the same second, the last call is the one that started later, not the one whose id sorts first', () => {
      // Within a second the sort key orders calls by a hash of their id, and each pair's earlier id
      // hashes higher (the first pair's ids are from the E2E run that found this: a missed call, then
      // the same caller answered 0.7 s later).
      const second = (ms: number) => `2025-03-02T09:00:07.${String(ms).padStart(3, '0')}Z`;
      const missed = { status: 'missed' as const, userId: null, answeredAt: null };
      t.cache.applyPull(
        page(
          {
            calls: [
              call('call_207449ff1e594948a3e9cfc79ce73ac5', { from: '+16175550101', startedAt: second(172), ...missed }),
              call('call_c385bc68ae394021967a3e4290c3d0f4', { from: '+16175550101', startedAt: second(841), userId: 'usr_2' }),
              call('c9', { contactId: 'ct_jane', startedAt: second(172), ...missed }),
              call('c8', { contactId: 'ct_jane', startedAt: second(841) }),
            ],
          },
          12,
        ),
      );
      expect(t.cache.contacts.findByPhone('+16175550101')?.lastCall).toMatchObject({ call: { id: 'call_c385bc68ae394021967a3e4290c3d0f4' }, userName: 'Adam Admin' });
      expect(t.cache.contacts.findByPhone('+14155550123')?.lastCall?.call.id).toBe('c8');
    });

    it('accepts a formatted number', () => {
      expect(t.cache.contacts.findByPhone('(415) 555-0123')?.contact?.id).toBe('ct_jane');
    });

    it('for an unknown caller, returns the last call with that number; null when nothing is known', () => {
      expect(t.cache.contacts.findByPhone('+16175550000')).toMatchObject({ contact: null, lastCall: { call: { id: 'c4' } } });
      expect(t.cache.contacts.findByPhone('+12125551234')).toBeNull();
      expect(t.cache.contacts.findByPhone('anonymous')).toBeNull();
      expect(() => t.cache.contacts.findByPhone(42 as never)).toThrow(CacheInputError);
    });
  });

  describe('history', () => {
    it('filters by disposition, direction, user and date range', () => {
      const ids = (filters: Parameters<CallCache['calls']['history']>[0]) => t.cache.calls.history(filters).items.map((i) => i.call.id);
      expect(ids({})).toEqual(['c4', 'c3', 'c2', 'c1']);
      expect(ids({ dispositionId: 'dsp_booked' })).toEqual(['c4', 'c1']);
      expect(ids({ dispositionId: null })).toEqual(['c3']);
      expect(ids({ direction: 'outbound' })).toEqual(['c4']);
      expect(ids({ userId: 'usr_2' })).toEqual(['c2']);
      expect(ids({ from: at(10), to: at(30) })).toEqual(['c3', 'c2']);
      expect(ids({ from: at(10), query: 'jane' })).toEqual(['c2']);
      expect(() => t.cache.calls.history({ direction: 'up' as never })).toThrow(CacheInputError);
    });

    it('pages with a keyset cursor, without gaps or repeats', () => {
      const calls = Array.from({ length: 45 }, (_, i) => call(`p${i}`, { startedAt: new Date(Date.UTC(2025, 3, 1, 0, 0, i % 3)).toISOString() }));
      t.cache.applyPull(page({ calls }, 12));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const result: ReturnType<CallCache['calls']['history']> = t.cache.calls.history({ limit: 7, cursor, from: '2025-04-01T00:00:00Z' });
        seen.push(...result.items.map((i) => i.call.id));
        cursor = result.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(45);
      expect(new Set(seen).size).toBe(45);
    });

    it('totals every call the filters match (not just the page), counted by the shared reporting rules', () => {
      const kinds: Partial<Call>[] = [
        {}, // answered, 2:55 talk
        { answeredAt: null, status: 'missed' },
        { answeredAt: null, status: 'completed', recordings: [{ sid: 'RE1', kind: 'voicemail', durationSeconds: 20, url: null, status: 'completed' }] as Call['recordings'] },
        { answeredAt: null, status: 'rejected' },
        { source: 'external' },
        { answeredAt: null, endedAt: null, status: 'ringing' },
        { direction: 'outbound', answeredAt: null, status: 'no-answer' },
        { direction: 'outbound', answeredAt: '2025-04-02T00:00:10.000Z', endedAt: '2025-04-02T00:01:40.000Z' },
        { answeredAt: '2025-04-02T00:00:09.400Z', endedAt: null, status: 'in-progress' },
      ];
      const calls = Array.from({ length: 90 }, (_, i) =>
        call(`t${i}`, { startedAt: new Date(Date.UTC(2025, 3, 2, 0, 0, i)).toISOString(), userId: i % 2 ? 'usr_1' : 'usr_2', ...kinds[i % kinds.length] }),
      );
      t.cache.applyPull(page({ calls }, 12));
      const expected = (matching: Call[]) => {
        const statuses = matching.map((c) => reportStatusOf(c));
        return {
          calls: matching.length,
          answered: statuses.filter((s) => s === 'answered').length,
          missed: statuses.filter(isMissed).length,
          talkSeconds: matching.reduce((sum, c, i) => sum + (statuses[i] === 'answered' ? (talkSecondsOf(c) ?? 0) : 0), 0),
        };
      };
      const from = '2025-04-02T00:00:00Z';
      const first = t.cache.calls.history({ from, limit: 10 });
      expect(first.items).toHaveLength(10);
      expect(first.totals).toEqual(expected(calls));
      expect(t.cache.calls.history({ from, userId: 'usr_1', limit: 5 }).totals).toEqual(expected(calls.filter((c) => c.userId === 'usr_1')));
      expect(t.cache.calls.history({ from, direction: 'outbound' }).totals).toEqual(expected(calls.filter((c) => c.direction === 'outbound')));
      expect(t.cache.calls.history({ from, limit: 10, cursor: first.nextCursor }).totals).toBeNull();
      expect(t.cache.calls.history({ query: 'no such words here' }).totals).toEqual({ calls: 0, answered: 0, missed: 0, talkSeconds: 0 });
    });

    it('lists active dispositions in admin order', () => {
      expect(t.cache.dispositions.active().map((d) => d.label)).toEqual(['Booked', 'Follow Up', 'Spam call']);
      expect(t.cache.dispositions.activeCount()).toBe(3);
    });
  });
});
