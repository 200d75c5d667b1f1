import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import { backends, callSid, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

/**
 * An inbound call's insert bumps the account's sequence first and then checks its foreign keys
 * (a KEY SHARE lock on the number and the contact); an admin's edit locks the number or contact
 * row and bumps the sequence last. Row locks taken to edit non-key columns must therefore be
 * FOR NO KEY UPDATE — with FOR UPDATE the two wait on each other and PostgreSQL aborts one as a
 * deadlock (a 500 for the admin, or a lost call record).
 */
describe.each(backends)('edits racing inbound calls on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let contact: { id: string; phone: string };

  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    const created = await t.api(admin, 'POST', '/v1/contacts', { name: 'Rae Racer', phone: '+13105557001' });
    expect(created.status).toBe(201);
    contact = { id: created.body.id, phone: created.body.phone };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('number and contact edits running alongside calls to that number from that contact all succeed, and every call is recorded', async () => {
    const ROUNDS = 30;
    const sids: string[] = [];
    const results = await Promise.all(
      Array.from({ length: ROUNDS }, async (_, i) => {
        const sid = callSid();
        sids.push(sid);
        const [numberEdit, call, contactEdit] = await Promise.all([
          t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.beverlyHillsMain.id}`, { ringTimeoutSeconds: 20 + (i % 10) }),
          t.webhook(webhookPaths.inbound, { CallSid: sid, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: contact.phone, To: DEMO_NUMBERS.beverlyHillsMain.number }),
          t.api(admin, 'PATCH', `/v1/contacts/${contact.id}`, { name: `Rae Racer ${i}` }),
        ]);
        return { numberEdit: numberEdit.status, call: call.status, contactEdit: contactEdit.status };
      }),
    );
    expect(results.filter((r) => r.numberEdit !== 200 || r.call !== 200 || r.contactEdit !== 200)).toEqual([]);
    const recorded = await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM calls WHERE twilio_call_sid = ANY($1::text[])`, [sids]);
    expect(recorded[0]!.n).toBe(ROUNDS);
  });
});
