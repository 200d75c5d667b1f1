import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../db';
import { accountInfo, forgetAccountInfo } from './account-info';

/** A database whose one account has premium actions on or off, counting the reads it serves. */
function fakeDb(premium: boolean): Queryable & { reads: number; premium: boolean } {
  const db = {
    reads: 0,
    premium,
    async query<R>(): Promise<R[]> {
      db.reads += 1;
      return [{ name: 'Glow Med Spa', company_phone: null, premium_actions_enabled: db.premium, timezone: 'America/New_York' }] as R[];
    },
    async exec(): Promise<void> {},
  };
  return db;
}

const ACCOUNT = '00000000-0000-4000-8000-000000000001';

describe('accountInfo', () => {
  it('is cached per database: two clouds in one process never read each other’s settings for the same account id', async () => {
    const on = fakeDb(true);
    const off = fakeDb(false);
    expect((await accountInfo(on, ACCOUNT)).premiumActionsEnabled).toBe(true);
    expect((await accountInfo(off, ACCOUNT)).premiumActionsEnabled).toBe(false);
    expect((await accountInfo(on, ACCOUNT)).premiumActionsEnabled).toBe(true);
    expect([on.reads, off.reads]).toEqual([1, 1]);
  });

  it('reads fresh after the settings change (forgotten for that database only)', async () => {
    const a = fakeDb(false);
    const b = fakeDb(false);
    await accountInfo(a, ACCOUNT);
    await accountInfo(b, ACCOUNT);
    a.premium = true;
    b.premium = true;
    forgetAccountInfo(a, ACCOUNT);
    expect((await accountInfo(a, ACCOUNT)).premiumActionsEnabled).toBe(true);
    expect((await accountInfo(b, ACCOUNT)).premiumActionsEnabled).toBe(false);
  });
});
