import { describe, expect, it } from 'vitest';
import type { Queryable, Row } from '../db';
import { CallerLoads } from './caller-loads';
import { RoutingCache } from './routing-cache';

/** A database whose contact queries wait until released, recording the phones each asked for. */
function fakeDb(contacts: Record<string, string>): { db: Queryable; asked: string[][]; release(): void; fail: { next?: Error } } {
  const asked: string[][] = [];
  const gates: (() => void)[] = [];
  const fail: { next?: Error } = {};
  const db: Queryable = {
    async query<R extends Row = Row>(_sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const phones = params[1] as string[];
      asked.push(phones);
      const error = fail.next;
      fail.next = undefined;
      // What the query's snapshot sees: the contacts as they are when it starts.
      const rows = phones.filter((p) => contacts[p]).map((p) => ({ phone: p, contact_id: contacts[p], contact_name: `Name ${p}`, contact_tags: [], contact_assigned: null, contact_dnd: null }) as unknown as R);
      await new Promise<void>((r) => gates.push(r));
      if (error) throw error;
      return rows;
    },
    async exec() {},
  };
  return { db, asked, fail, release: () => gates.splice(0).forEach((g) => g()) };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('CallerLoads', () => {
  it('reads the misses of one account that arrive while its load runs in ONE next query, and stores them in the cache', async () => {
    const cache = new RoutingCache();
    const loads = new CallerLoads(cache);
    const { db, asked, release } = fakeDb({ '+13105550001': 'con_1', '+13105550003': 'con_3' });
    const first = loads.load(db, 'acc_a', '+13105550001'); // a quiet line queries at once
    await turn();
    expect(asked).toEqual([['+13105550001']]);
    const later = ['+13105550002', '+13105550003', '+13105550002'].map((from) => loads.load(db, 'acc_a', from));
    const again = loads.load(db, 'acc_a', '+13105550001'); // already in the running load: joins it
    await turn();
    expect(asked).toHaveLength(1);
    release();
    expect((await first)?.id).toBe('con_1');
    expect((await again)?.id).toBe('con_1');
    await turn();
    expect(asked).toEqual([['+13105550001'], ['+13105550002', '+13105550003']]);
    release();
    expect((await Promise.all(later)).map((c) => c?.id ?? null)).toEqual([null, 'con_3', null]);
    expect(cache.contact('acc_a', '+13105550003')?.id).toBe('con_3');
    expect(cache.contact('acc_a', '+13105550002')).toBeNull();
    expect(loads.stats).toEqual({ misses: 5, queries: 2, callers: 3 });
  });

  it('after a contacts change a caller does not join the load that started before it, and that load is not cached', async () => {
    const cache = new RoutingCache();
    const loads = new CallerLoads(cache);
    const contacts: Record<string, string> = {};
    const { db, asked, release } = fakeDb(contacts);
    const before = loads.load(db, 'acc_a', '+13105550001');
    await turn();
    contacts['+13105550001'] = 'con_new'; // committed while the first load ran…
    cache.applyEvent({ a: 'acc_a', s: 5, e: ['contacts'] }); // …and announced
    const after = loads.load(db, 'acc_a', '+13105550001');
    release();
    expect(await before).toBeNull(); // what it read before the change
    await turn();
    expect(asked).toHaveLength(2);
    release();
    expect((await after)?.id).toBe('con_new');
    expect(cache.contact('acc_a', '+13105550001')?.id).toBe('con_new');
  });

  it('a failed query fails its waiters only; the next misses query again', async () => {
    const cache = new RoutingCache();
    const loads = new CallerLoads(cache);
    const { db, release, fail } = fakeDb({ '+13105550001': 'con_1' });
    fail.next = new Error('connection lost');
    const failed = loads.load(db, 'acc_a', '+13105550001');
    await turn();
    release();
    await expect(failed).rejects.toThrow('connection lost');
    expect(cache.contact('acc_a', '+13105550001')).toBeUndefined();
    const retried = loads.load(db, 'acc_a', '+13105550001');
    await turn();
    release();
    expect((await retried)?.id).toBe('con_1');
  });
});
