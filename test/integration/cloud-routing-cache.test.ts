/**
 * The inbound webhook caches numbers and callers in memory (src/cloud/telephony/routing-cache.ts).
 * These tests change what routing depends on and check that the very next call obeys it: on the
 * instance that made the change, and on a second instance sharing the database (PostgreSQL: its
 * own pool and LISTEN connection, so only NOTIFY can tell it; PGlite: the same embedded database).
 */
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS, DEMO_USERS, SANDBOX_TWILIO_CREDENTIALS, sandboxConfig, startCloud, webhookPaths, type RunningCloud } from '../../src/cloud/index';
import type { ChangeEvent } from '../../src/cloud/db/unit-of-work';
import { backends, callSid, fastArgon, startTestCloud, stopTestPostgres, testPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const ACCOUNT = SANDBOX_TWILIO_CREDENTIALS.accountSid;
const SM = DEMO_NUMBERS.santaMonicaMain;

/** A signed inbound-call webhook to any running cloud. */
async function ring(cloud: RunningCloud, from: string, to: string): Promise<string> {
  const url = cloud.publicUrl + webhookPaths.inbound;
  const params = { CallSid: callSid(), AccountSid: ACCOUNT, From: from, To: to, CallStatus: 'ringing', Direction: 'inbound' };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(200);
  return res.text();
}

const identities = (xml: string): string[] => [...xml.matchAll(/<Identity>([^<]+)<\/Identity>/g)].map((m) => m[1]!).sort();
const dnd = (inbound: boolean) => ({
  call: { inbound, outbound: false }, sms: { inbound: false, outbound: false }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false },
});
/** Resolves once `cloud` has heard a change event touching `entity` (its cache has been told by then). */
const heard = (cloud: RunningCloud, entity: ChangeEvent['e'][number]): Promise<ChangeEvent> => cloud.hub.nextEvent((e) => e.e.includes(entity));

describe.each(backends)('inbound routing cache on %s', (backend) => {
  let a: TestCloud;
  let b: RunningCloud;
  let admin: string;
  beforeAll(async () => {
    // Instances of one deployment share its server keys (a token from one is good on the other).
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64url')}`;
    a = await startTestCloud(backend, { keys });
    admin = (await a.login('admin')).accessToken;
    // The second instance: on PostgreSQL its own connections to the same database; PGlite is
    // embedded, so a second instance can only share the open database.
    b = await startCloud({
      config: sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: fastArgon, databaseUrl: a.databaseUrl, keys }),
      ...(backend === 'pglite' ? { db: a.cloud.db } : {}),
    });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('a changed number setting takes effect on the next call, on the instance that changed it and on another', async () => {
    const caller = '+13105557001';
    const before = await ring(a.cloud, caller, SM.number);
    expect(before).toContain('timeout="20"');
    expect(before).not.toContain('record=');
    const beforeOnB = await ring(b, caller, SM.number);
    expect(beforeOnB).toContain('timeout="20"');
    expect(identities(beforeOnB)).toEqual(identities(before));

    const bHeard = heard(b, 'phoneNumbers');
    expect((await a.api(admin, 'PATCH', `/v1/numbers/${SM.id}`, { ringTimeoutSeconds: 37, recordCalls: true, ringAllUserIds: [DEMO_USERS.admin.id] })).status).toBe(200);
    const onA = await ring(a.cloud, caller, SM.number);
    expect(onA).toContain('timeout="37"');
    expect(onA).toContain('record="record-from-answer-dual"');
    expect(identities(onA)).toEqual([DEMO_USERS.admin.id]);
    await bHeard;
    const onB = await ring(b, caller, SM.number);
    expect(onB).toContain('timeout="37"');
    expect(identities(onB)).toEqual([DEMO_USERS.admin.id]);

    // Forwarding, then back to ringing everyone at the location.
    const bHeardAgain = heard(b, 'phoneNumbers');
    await a.api(admin, 'PATCH', `/v1/numbers/${SM.id}`, { forwardingNumber: '+13105550177' });
    expect(await ring(a.cloud, caller, SM.number)).toMatch(/<Number[^>]*>\+13105550177<\/Number>/);
    await bHeardAgain;
    expect(await ring(b, caller, SM.number)).toMatch(/<Number[^>]*>\+13105550177<\/Number>/);
    const bHeardReset = heard(b, 'phoneNumbers');
    await a.api(admin, 'PATCH', `/v1/numbers/${SM.id}`, { forwardingNumber: null, ringTimeoutSeconds: 20, recordCalls: false, ringAllUserIds: [] });
    const reset = await ring(a.cloud, caller, SM.number);
    expect(reset).toContain('timeout="20"');
    expect(identities(reset)).toEqual(identities(before));
    await bHeardReset;
    expect(identities(await ring(b, caller, SM.number))).toEqual(identities(before));
  });

  it("a contact's inbound DND (and a new contact for a known caller) takes effect on the next call, on both instances", async () => {
    const caller = '+13105557002';
    // Not a contact yet: both instances ring and remember "no contact".
    expect(await ring(a.cloud, caller, SM.number)).toContain('<Dial');
    expect(await ring(b, caller, SM.number)).toContain('<Dial');

    const bHeard = heard(b, 'contacts');
    const created = await a.api(admin, 'POST', '/v1/contacts', { name: 'Blocked Later', phone: caller, dnd: dnd(true) });
    expect(created.status).toBe(201);
    expect(await ring(a.cloud, caller, SM.number)).toContain('<Reject');
    await bHeard;
    expect(await ring(b, caller, SM.number)).toContain('<Reject');

    const bHeardLift = heard(b, 'contacts');
    expect((await a.api(admin, 'PATCH', `/v1/contacts/${created.body.id}`, { dnd: dnd(false) })).status).toBe(200);
    expect(await ring(a.cloud, caller, SM.number)).toContain('<Dial');
    await bHeardLift;
    expect(await ring(b, caller, SM.number)).toContain('<Dial');

    // A change made through the other instance reaches the first one the same way.
    const aHeard = heard(a.cloud, 'contacts');
    const viaB = await fetch(`${b.url}/v1/contacts/${created.body.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dnd: dnd(true) }),
    });
    expect(viaB.status).toBe(200);
    expect(await ring(b, caller, SM.number)).toContain('<Reject');
    await aHeard;
    expect(await ring(a.cloud, caller, SM.number)).toContain('<Reject');
  });

  it.runIf(backend === 'postgres')('drops everything after the LISTEN connection was lost (changes in between were never announced to it)', async () => {
    const caller = '+13105557003';
    expect(await ring(b, caller, SM.number)).not.toContain('record=');
    const gap = new Promise<void>((resolve) => {
      const stop = b.hub.subscribe(() => undefined, () => {
        stop();
        resolve();
      });
    });
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: (await testPostgres()).url });
    await client.connect();
    try {
      const database = new URL(a.databaseUrl!).pathname.slice(1);
      const listening = () => client.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN %'`, [database]);
      expect((await listening()).rowCount).toBeGreaterThan(0);
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN %'`, [database]);
      // The listeners reconnect after a delay; this change lands while b is not listening.
      await a.api(admin, 'PATCH', `/v1/numbers/${SM.id}`, { recordCalls: true });
      await gap;
      expect(await ring(b, caller, SM.number)).toContain('record="record-from-answer-dual"');
    } finally {
      await client.end();
      await a.api(admin, 'PATCH', `/v1/numbers/${SM.id}`, { recordCalls: false });
    }
  });
});
