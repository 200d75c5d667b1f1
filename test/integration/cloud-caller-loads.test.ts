/**
 * The inbound webhook's caller misses read together (src/cloud/telephony/caller-loads.ts), against
 * the real database on both backends: one query for many callers, the oldest live contact per
 * phone, Twilio's `From` matched in either form, deleted contacts and other practices never read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/seed';
import { CallerLoads, readCallers } from '../../src/cloud/telephony/caller-loads';
import { RoutingCache } from '../../src/cloud/telephony/routing-cache';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

describe.each(backends)('caller reads on %s', (backend) => {
  let t: TestCloud;
  let first: string;
  let deleted: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    const admin = (await t.login('admin')).accessToken;
    const create = async (name: string, phone: string): Promise<string> => {
      const res = await t.api(admin, 'POST', '/v1/contacts', { name, phone });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    first = await create('First Of Two', '+13105558101');
    await create('Second Of Two', '+13105558101');
    deleted = await create('Deleted Later', '+13105558102');
    await create('Only One', '+13105558103');
    await t.cloud.db.query(`UPDATE contacts SET deleted_at = now() WHERE id = $1`, [deleted]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reads several callers in one query: the oldest live contact per phone, either form of From', async () => {
    const found = await readCallers(t.cloud.db, DEMO_ACCOUNT_ID, ['+13105558101', '+13105558102', '+1 (310) 555-8103', '+13105558199']);
    expect(found.get('+13105558101')).toMatchObject({ id: first, name: 'First Of Two' });
    expect(found.get('+13105558102')).toBeNull(); // its only contact is deleted
    expect(found.get('+1 (310) 555-8103')).toMatchObject({ name: 'Only One' });
    expect(found.get('+13105558199')).toBeNull();
  });

  it('reads nothing of another practice', async () => {
    const found = await readCallers(t.cloud.db, 'acc_not_this_practice', ['+13105558101', '+13105558103']);
    expect([...found.values()]).toEqual([null, null]);
  });

  it('misses arriving together are answered by at most two queries and cached', async () => {
    const cache = new RoutingCache();
    const loads = new CallerLoads(cache);
    const froms = ['+13105558101', '+13105558103', '+13105558199', '+13105558101'];
    const contacts = await Promise.all(froms.map((from) => loads.load(t.cloud.db, DEMO_ACCOUNT_ID, from)));
    expect(contacts.map((c) => c?.name ?? null)).toEqual(['First Of Two', 'Only One', null, 'First Of Two']);
    expect(loads.stats.misses).toBe(4);
    expect(loads.stats.queries).toBeLessThanOrEqual(2);
    expect(cache.contact(DEMO_ACCOUNT_ID, '+13105558103')?.name).toBe('Only One');
    expect(cache.contact(DEMO_ACCOUNT_ID, '+13105558199')).toBeNull();
  });
});
