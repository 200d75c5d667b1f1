import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, SANDBOX_TWILIO_CREDENTIALS, sandboxConfig, startCloud, webhookPaths } from '../../src/cloud/index';
import { supportRestoreNumber } from '../../src/cloud/numbers/lifecycle';
import { RELEASE_CRON, RELEASE_QUEUE, releaseDueNumbers } from '../../src/cloud/numbers/release-job';
import { POINT_WEBHOOKS_CRON, POINT_WEBHOOKS_QUEUE, pointNumbersAtCloud } from '../../src/cloud/numbers/webhooks-job';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import {
  deletedNumberSchema,
  managedNumberSchema,
  numberSearchResultSchema,
  purchaseResultSchema,
  restoreResultSchema,
  type AvailableNumber,
  type NumberSearchResult,
} from '../../src/shared/cloud/numbers';
import { backends, callSid, fastArgon, stopTestPostgres } from '../support/cloud-harness';
import { ageDeletion, heldAtTwilio, otherPracticeNumber, startNumbersWorld, type NumbersWorld } from '../support/numbers-harness';
import { testSchemaTemplate } from '../support/schema-template';

afterAll(stopTestPostgres);

/**
 * The phone-number lifecycle of seed 001 against the Twilio sandbox, through the cloud's API and
 * the official `twilio` client: search filters, buying several, a purchase racing another buyer,
 * delete-keep, delete-release, restore on day 9, refusal on day 11, refusal when claimed, the
 * automatic release, members' inbound numbers, and support requests. PGlite and PostgreSQL.
 */
describe.each(backends)('phone numbers on %s', (backend) => {
  let w: NumbersWorld;
  beforeAll(async () => {
    w = await startNumbersWorld(backend);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const search = async (query: Record<string, string | number | boolean>): Promise<NumberSearchResult> => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const r = await w.t.api(w.admin, 'GET', `/v1/numbers/available?${qs}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return numberSearchResultSchema.parse(r.body);
  };
  const buy = async (phoneNumbers: string[], extra: Record<string, unknown> = {}) => {
    const r = await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return purchaseResultSchema.parse(r.body).results;
  };
  /** A fresh number bought for one test. */
  const buyOne = async (areaCode = '424'): Promise<{ id: string; number: string }> => {
    const found = await search({ match: areaCode, matchAt: 'first', limit: 5 });
    const [result] = await buy([found.numbers[0]!.phoneNumber]);
    if (result?.status !== 'bought') throw new Error(`could not buy: ${JSON.stringify(result)}`);
    return { id: result.number.id, number: result.number.number };
  };
  const del = (id: string, body: unknown) => w.t.api(w.admin, 'POST', `/v1/numbers/${id}/delete`, body);
  const restore = (id: string) => w.t.api(w.admin, 'POST', `/v1/numbers/${id}/restore`);
  const audit = async (entityId: string): Promise<string[]> =>
    (await w.t.cloud.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [entityId])).map((r) => r.action);
  const national = (n: AvailableNumber): string => n.phoneNumber.slice(2);

  describe('search', () => {
    it('first, last and anywhere; letters on the keypad; with the price of the type', async () => {
      const first = await search({ country: 'US', type: 'local', match: '424', matchAt: 'first' });
      expect(first.numbers.length).toBeGreaterThan(0);
      expect(first.numbers.every((n) => national(n).startsWith('424'))).toBe(true);
      expect(first.price).toMatchObject({ country: 'US', numberType: 'local', monthlyFee: { micros: 1_500_000, currency: 'USD' } });
      expect(first.international).toBe(false);

      w.sandbox.control.inventory.addForSale({ phoneNumber: '+14245554569' }); // …GLOW
      w.sandbox.control.inventory.addForSale({ phoneNumber: '+16463569370' }); // 646-FLOWER-0
      const last = await search({ match: 'glow', matchAt: 'last' });
      expect(last.numbers.map((n) => n.phoneNumber)).toContain('+14245554569');
      expect(last.numbers.every((n) => n.phoneNumber.endsWith('4569'))).toBe(true);

      const anywhere = await search({ match: 'FLOWER', matchAt: 'any' });
      expect(anywhere.numbers.map((n) => n.phoneNumber)).toContain('+16463569370');
      expect(anywhere.numbers.every((n) => n.phoneNumber.includes('356937'))).toBe(true);
      // "Flower" at the start finds nothing: the filter is exact, not Twilio's loosest reading.
      expect((await search({ match: 'FLOWER', matchAt: 'first' })).numbers.map((n) => n.phoneNumber)).not.toContain('+16463569370');
    });

    it('capabilities and type', async () => {
      const texting = await search({ match: '424', matchAt: 'first', sms: true, mms: true, limit: 50 });
      expect(texting.numbers.length).toBeGreaterThan(0);
      expect(texting.numbers.every((n) => n.capabilities.sms && n.capabilities.mms && n.capabilities.voice)).toBe(true);
      // What Twilio says about each (its JSON spells SMS/MMS in capitals for available numbers) agrees.
      for (const n of texting.numbers.slice(0, 5)) expect(w.sandbox.control.inventory.availability(n.phoneNumber).details?.capabilities).toMatchObject({ sms: true, mms: true });
      const all = await search({ match: '424', matchAt: 'first', limit: 50 });
      expect(all.numbers.some((n) => !n.capabilities.sms || !n.capabilities.mms)).toBe(true);

      const tollFree = await search({ type: 'toll-free', limit: 10 });
      expect(tollFree.numbers.length).toBeGreaterThan(0);
      expect(tollFree.numbers.every((n) => n.numberType === 'toll-free' && ['800', '833', '844', '855', '866', '877', '888'].includes(national(n).slice(0, 3)))).toBe(true);
      expect(tollFree.price).toMatchObject({ numberType: 'toll-free', monthlyFee: { micros: 2_500_000 } });
    });

    it('Refresh Results shows other numbers; a sold-out area code gets overlay, nearby and toll-free suggestions that have stock', async () => {
      const a = await search({ match: '424', matchAt: 'first', limit: 5 });
      const b = await search({ match: '424', matchAt: 'first', limit: 5 });
      expect(a.numbers).toHaveLength(5);
      expect(b.numbers.map((n) => n.phoneNumber)).not.toEqual(a.numbers.map((n) => n.phoneNumber));

      const soldOut = await search({ match: '310', matchAt: 'first' });
      expect(soldOut.numbers).toEqual([]);
      const kinds = soldOut.suggestions.map((s) => s.kind);
      expect(kinds).toEqual(expect.arrayContaining(['overlay', 'nearby', 'toll-free', 'refresh', 'support']));
      const overlay = soldOut.suggestions.find((s) => s.kind === 'overlay');
      expect(overlay).toMatchObject({ query: { match: '424', matchAt: 'first', type: 'local' } });
      expect(overlay && 'available' in overlay ? overlay.available : 0).toBeGreaterThan(0);
      const nearby = soldOut.suggestions.filter((s) => s.kind === 'nearby').map((s) => ('query' in s ? s.query.match : ''));
      expect(nearby.length).toBeGreaterThan(0);
      expect(nearby).not.toContain('310');
      expect(nearby).not.toContain('424');
      // Each suggested search really finds numbers.
      for (const s of soldOut.suggestions) {
        if (!('query' in s)) continue;
        const q = Object.fromEntries(Object.entries(s.query).filter(([, v]) => v !== undefined)) as Record<string, string>;
        expect((await search(q)).numbers.length, s.label).toBeGreaterThan(0);
      }
      expect((await search({ match: '212', matchAt: 'first' })).suggestions.filter((s) => s.kind === 'overlay').map((s) => ('query' in s ? s.query.match : ''))).toEqual(
        expect.arrayContaining(['646', '332', '917']),
      );
    });

    it('other countries are searchable and marked international; bad filters are refused; receptionists may not search', async () => {
      const uk = await search({ country: 'GB', type: 'local', match: '20', matchAt: 'first' });
      expect(uk.international).toBe(true);
      expect(uk.numbers.length).toBeGreaterThan(0);
      expect(uk.numbers.every((n) => n.phoneNumber.startsWith('+4420'))).toBe(true);
      // A type the country does not sell: nothing, with the ways out.
      const usMobile = await search({ country: 'US', type: 'mobile' });
      expect(usMobile.numbers).toEqual([]);
      expect(usMobile.suggestions.map((s) => s.kind)).toContain('support');

      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/available?match=x')).body.code).toBe('VALIDATION_FAILED');
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/available?country=usa')).body.code).toBe('VALIDATION_FAILED');
      expect((await w.t.api(w.receptionist, 'GET', '/v1/numbers/available')).status).toBe(403);
    });
  });

  describe('buying', () => {
    it('buys several at once, each with its own outcome; a number another buyer wins meanwhile is reported as taken', async () => {
      const found = await search({ match: '646', matchAt: 'first', limit: 3 });
      const [a, b, c] = found.numbers.map((n) => n.phoneNumber) as [string, string, string];
      w.sandbox.control.inventory.loseNextPurchaseOf(b);
      const results = await buy([a, b, c]);
      expect(results.map((r) => [r.phoneNumber, r.status])).toEqual([[a, 'bought'], [b, 'taken'], [c, 'bought']]);
      expect(results[1]).toMatchObject({ status: 'taken', message: expect.stringMatching(/someone else/i) });

      // Bought at Twilio, pointed at the cloud's webhooks; the lost one is someone else's.
      for (const n of [a, c]) {
        expect(await heldAtTwilio(w, n)).toMatchObject({ voiceUrl: w.t.cloud.publicUrl + webhookPaths.inbound, voiceFallbackUrl: w.t.cloud.publicUrl + webhookPaths.fallback });
      }
      expect(await heldAtTwilio(w, b)).toBeNull();
      expect(w.sandbox.control.inventory.availability(b).claimedByOthers).toBe(true);

      const managed = managedNumberSchema.array().parse((await w.t.api(w.admin, 'GET', '/v1/numbers/managed')).body);
      const bought = managed.find((n) => n.number === a)!;
      expect(bought).toMatchObject({ status: 'active', country: 'US', numberType: 'local', monthlyFee: { micros: 1_500_000, currency: 'USD' }, assignedUserName: null });
      expect(bought.capabilities).toEqual(w.sandbox.control.inventory.availability(a).details?.capabilities);
      expect(bought.billingSince).not.toBeNull();
      expect(await w.t.cloud.db.query(`SELECT reason, amount_micros FROM number_charges WHERE phone_number_id = $1`, [bought.id])).toEqual([{ reason: 'purchase', amount_micros: 1_500_000 }]);
      expect(await audit(bought.id)).toEqual(['phone_number.purchase']);
      const failures = await w.t.cloud.db.query<{ details: { phoneNumber: string; outcome: string; twilioCode: number } }>(
        `SELECT details FROM audit_log WHERE action = 'phone_number.purchase_failed' AND details->>'phoneNumber' = $1`, [b],
      );
      expect(failures.map((f) => f.details)).toEqual([{ phoneNumber: b, outcome: 'taken', twilioCode: 21422 }]);
      // Everyone in the practice sees the new numbers (sync and GET /v1/numbers).
      expect((await w.t.api(w.receptionist, 'GET', '/v1/numbers')).body.map((n: { number: string }) => n.number)).toEqual(expect.arrayContaining([a, c]));
    });

    it('two admins racing for the same number: one gets it, the other is told it was taken', async () => {
      const [n] = (await search({ match: '917', matchAt: 'first', limit: 1 })).numbers;
      const second = (await w.t.login('admin')).accessToken;
      const [r1, r2] = await Promise.all([
        w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [n!.phoneNumber] }),
        w.t.api(second, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [n!.phoneNumber] }),
      ]);
      const statuses = [r1.body.results[0].status, r2.body.results[0].status].sort();
      expect(statuses).toEqual(['bought', 'taken']);
      expect(await w.t.cloud.db.query(`SELECT count(*)::int AS n FROM phone_numbers WHERE number = $1`, [n!.phoneNumber])).toEqual([{ n: 1 }]);
    });

    it('international numbers are requested from support, a request record the admin sees', async () => {
      const [uk] = (await search({ country: 'GB', type: 'local', match: '20', matchAt: 'first', limit: 1 })).numbers;
      const refused = await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'GB', numberType: 'local', phoneNumbers: [uk!.phoneNumber] });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('NUMBER_REQUIRES_SUPPORT');
      expect(await heldAtTwilio(w, uk!.phoneNumber)).toBeNull();

      const created = await w.t.api(w.admin, 'POST', '/v1/numbers/requests', { kind: 'international', country: 'GB', numberType: 'local', phoneNumbers: [uk!.phoneNumber], note: 'London clinic' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'international', status: 'open', requestedByName: 'Dr. Maya Chen', phoneNumbers: [uk!.phoneNumber] });
      const listed = (await w.t.api(w.admin, 'GET', '/v1/numbers/requests')).body;
      expect(listed.map((r: { id: string }) => r.id)).toContain(created.body.id);
      expect((await w.t.api(w.admin, 'POST', `/v1/numbers/requests/${created.body.id}/cancel`)).body.status).toBe('cancelled');
      expect((await w.t.api(w.admin, 'POST', `/v1/numbers/requests/${created.body.id}/cancel`)).status).toBe(409);
      expect((await w.t.api(w.receptionist, 'GET', '/v1/numbers/requests')).status).toBe(403);
      expect(await audit(created.body.id)).toEqual(['number_request.create', 'number_request.cancel']);
    });

    it('what a number is comes from the number, not the request: its type sets the price, its country whether it is bought here', async () => {
      const [tollFree] = (await search({ type: 'toll-free', limit: 1 })).numbers;
      const [local] = (await search({ match: '720', matchAt: 'first', limit: 1 })).numbers;
      // A toll-free number declared local (or the reverse) would be billed at the wrong rate: refused, nothing bought.
      const asLocal = await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [tollFree!.phoneNumber] });
      expect(asLocal.status).toBe(400);
      expect(asLocal.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(/is a toll-free number, not a local one: search Toll-Free numbers/) });
      expect(asLocal.body.errors).toEqual([{ path: 'phoneNumbers.0', message: expect.any(String) }]);
      const asTollFree = await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'toll-free', phoneNumbers: [local!.phoneNumber] });
      expect(asTollFree.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(/is a local number, not a toll-free one/) });
      for (const n of [tollFree!, local!]) expect(await heldAtTwilio(w, n.phoneNumber)).toBeNull();

      // Declared as what it is: stored and billed as toll-free.
      const [bought] = await buy([tollFree!.phoneNumber], { numberType: 'toll-free' });
      expect(bought).toMatchObject({ status: 'bought', charged: { micros: 2_500_000, currency: 'USD' } });
      expect(await w.t.cloud.db.query(`SELECT number_type, monthly_fee_micros FROM phone_numbers WHERE number = $1`, [tollFree!.phoneNumber])).toEqual([
        { number_type: 'toll-free', monthly_fee_micros: 2_500_000 },
      ]);

      // A UK number in a request that says US is still international: support buys it, not the app.
      const [uk] = (await search({ country: 'GB', type: 'local', limit: 1 })).numbers;
      const international = await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [local!.phoneNumber, uk!.phoneNumber] });
      expect(international.status).toBe(422);
      expect(international.body.code).toBe('NUMBER_REQUIRES_SUPPORT');
      for (const n of [local!, uk!]) expect(await heldAtTwilio(w, n.phoneNumber)).toBeNull();
      expect(await w.t.cloud.db.query(`SELECT 1 FROM phone_numbers WHERE number = ANY($1::text[])`, [[local!.phoneNumber, uk!.phoneNumber]])).toEqual([]);
    });

    it('refuses a location of another account and malformed purchases', async () => {
      const [n] = (await search({ match: '332', matchAt: 'first', limit: 1 })).numbers;
      expect((await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [n!.phoneNumber], locationId: 'loc_elsewhere' })).status).toBe(404);
      expect((await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [] })).body.code).toBe('VALIDATION_FAILED');
      expect((await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: ['+1310'] })).body.code).toBe('VALIDATION_FAILED');
      expect((await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [n!.phoneNumber, n!.phoneNumber] })).body.code).toBe('VALIDATION_FAILED');
      expect((await w.t.api(w.receptionist, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [n!.phoneNumber] })).status).toBe(403);
      expect(await heldAtTwilio(w, n!.phoneNumber)).toBeNull();
    });
  });

  describe('deleting and restoring', () => {
    it('delete needs "Delete" typed; keep (NO): held 10 days at Twilio, out of the list, rings no one, member unassigned', async () => {
      const { id, number } = await buyOne();
      await w.t.api(w.admin, 'PUT', `/v1/users/${DEMO_USERS.receptionist2.id}/inbound-number`, { phoneNumberId: id });
      expect((await del(id, { confirmation: 'delete', release: false })).body.code).toBe('VALIDATION_FAILED');
      expect((await del(id, { release: false })).body.code).toBe('VALIDATION_FAILED');
      expect((await w.t.api(w.receptionist, 'POST', `/v1/numbers/${id}/delete`, { confirmation: 'Delete', release: false })).status).toBe(403);

      const r = await del(id, { confirmation: 'Delete', release: false });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(deletedNumberSchema.parse(r.body)).toMatchObject({ id, status: 'held', daysLeft: 10, canRestore: true, deletedByName: 'Dr. Maya Chen', releasedAt: null });
      expect(await heldAtTwilio(w, number)).not.toBeNull(); // not released: still the practice's at Twilio
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers')).body.map((n: { id: string }) => n.id)).not.toContain(id);
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/deleted')).body.find((n: { id: string }) => n.id === id)).toMatchObject({ status: 'held', daysLeft: 10 });
      expect((await w.t.api(w.admin, 'GET', '/v1/me')).body).toBeTruthy();
      expect((await w.t.api(w.admin, 'GET', '/v1/users')).body.find((u: { id: string }) => u.id === DEMO_USERS.receptionist2.id).inboundNumberId).toBeNull();
      expect(await w.t.cloud.db.query(`SELECT billing_since FROM phone_numbers WHERE id = $1`, [id])).toEqual([{ billing_since: null }]);

      const call = await w.t.webhook(webhookPaths.inbound, { CallSid: callSid(), AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: '+13105552007', To: number });
      expect(call.text).toContain('not in service');
      expect((await del(id, { confirmation: 'Delete', release: false })).status).toBe(409);
      expect(await audit(id)).toEqual(['phone_number.purchase', 'phone_number.delete']);
    });

    it('release ("Release" typed): given back to Twilio for good, for sale again, never restorable', async () => {
      const { id, number } = await buyOne();
      expect((await del(id, { confirmation: 'Delete', release: true })).body.code).toBe('VALIDATION_FAILED');
      expect((await del(id, { confirmation: 'Delete', release: true, releaseConfirmation: 'release' })).body.code).toBe('VALIDATION_FAILED');
      const r = await del(id, { confirmation: 'Delete', release: true, releaseConfirmation: 'Release' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ status: 'released', daysLeft: null, canRestore: false, releaseDueAt: null });
      expect(await heldAtTwilio(w, number)).toBeNull();
      expect(w.sandbox.control.inventory.availability(number)).toMatchObject({ forSale: true, ownedByAccount: false });
      const refused = await restore(id);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('NUMBER_RELEASED');
      expect(await audit(id)).toEqual(['phone_number.purchase', 'phone_number.delete', 'phone_number.release']);
    });

    it('restore on day 9 of a number deleted with NO: back as it was — its settings, its member, Ring All without who left — billed again, rings again', async () => {
      const { id, number } = await buyOne();
      const leaver = 'usr_leaves_meanwhile';
      await w.t.cloud.db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ($1, $2, 'leaver@glowmedspa.example', 'Sam Left', 'user', 'x')`, [leaver, DEMO_ACCOUNT_ID]);
      const settings = { name: 'Laser line', whisperMessage: 'Laser consult', recordCalls: true, ringTimeoutSeconds: 40, callerIdMode: 'number', ringAllUserIds: [DEMO_USERS.admin.id, leaver] };
      expect((await w.t.api(w.admin, 'PATCH', `/v1/numbers/${id}`, settings)).status).toBe(200);
      const avery = DEMO_USERS.receptionist2.id;
      expect((await w.t.api(w.admin, 'PUT', `/v1/users/${avery}/inbound-number`, { phoneNumberId: id })).status).toBe(200);
      await del(id, { confirmation: 'Delete', release: false });
      await w.t.cloud.db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [leaver]);
      await ageDeletion(w, id, 9);
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/deleted')).body.find((n: { id: string }) => n.id === id)).toMatchObject({ daysLeft: 1, canRestore: true });

      const r = await restore(id);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const restored = restoreResultSchema.parse(r.body);
      expect(restored.number).toMatchObject({
        id, number, status: 'active', name: 'Laser line', whisperMessage: 'Laser consult', recordCalls: true, ringTimeoutSeconds: 40, callerIdMode: 'number',
        ringAllUserIds: [DEMO_USERS.admin.id], forwardingNumber: null, inboundRouting: 'ring_all', assignedUserId: avery, assignedUserName: 'Avery Patel', monthlyFee: { micros: 1_500_000 },
      });
      expect(restored.memberNotRestored).toBeNull();
      expect((await w.t.api(w.admin, 'GET', '/v1/users')).body.find((u: { id: string }) => u.id === avery).inboundNumberId).toBe(id);
      expect(restored.charged).toEqual({ micros: 1_500_000, currency: 'USD' });
      const charges = await w.t.cloud.db.query<{ reason: string; fresh: boolean }>(
        `SELECT reason, created_at > now() - interval '1 minute' AS fresh FROM number_charges WHERE phone_number_id = $1 ORDER BY id`, [id],
      );
      expect(charges).toEqual([{ reason: 'purchase', fresh: true }, { reason: 'restore', fresh: true }]);
      expect(await heldAtTwilio(w, number)).toMatchObject({
        voiceUrl: w.t.cloud.publicUrl + webhookPaths.inbound, voiceFallbackUrl: w.t.cloud.publicUrl + webhookPaths.fallback, friendlyName: 'Laser line',
      });
      const call = await w.t.webhook(webhookPaths.inbound, { CallSid: callSid(), AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: '+13105552007', To: number });
      expect(call.text).toContain('<Dial');
      expect((await restore(id)).status).toBe(409);
      expect(await audit(id)).toEqual(['phone_number.purchase', 'phone_number.update', 'phone_number.delete', 'phone_number.restore']);

      // A member who has another Inbound Number by then does not lose it: the restored number comes back unassigned, and the answer says whose it was.
      const other = await buyOne();
      expect((await w.t.api(w.admin, 'PUT', `/v1/users/${avery}/inbound-number`, { phoneNumberId: other.id })).status).toBe(200);
      await del(other.id, { confirmation: 'Delete', release: false });
      expect((await w.t.api(w.admin, 'PUT', `/v1/users/${avery}/inbound-number`, { phoneNumberId: id })).status).toBe(200);
      const back = restoreResultSchema.parse((await restore(other.id)).body);
      expect(back).toMatchObject({ number: { assignedUserId: null }, memberNotRestored: 'Avery Patel' });
      expect((await w.t.api(w.admin, 'GET', '/v1/users')).body.find((u: { id: string }) => u.id === avery).inboundNumberId).toBe(id);
      expect((await w.t.api(w.admin, 'PUT', `/v1/users/${avery}/inbound-number`, { phoneNumberId: null })).status).toBe(200); // out of the other tests' way
    });

    it('a number released by accident: Aesthetix support restores it within 10 days of its deletion, bought back, with the default settings', async () => {
      const { id, number } = await buyOne();
      expect((await w.t.api(w.admin, 'PATCH', `/v1/numbers/${id}`, { name: 'Laser line', whisperMessage: 'Laser consult', recordCalls: true, ringAllUserIds: [DEMO_USERS.admin.id] })).status).toBe(200);
      await del(id, { confirmation: 'Delete', release: true, releaseConfirmation: 'Release' });
      expect(await heldAtTwilio(w, number)).toBeNull();
      expect((await restore(id)).body.code).toBe('NUMBER_RELEASED'); // not in the app: "releasing is permanent"

      const restored = await supportRestoreNumber(w.deps, id);
      expect(restored.number).toMatchObject({
        id, number, status: 'active', name: 'Laser line', whisperMessage: null, recordCalls: false, ringTimeoutSeconds: 20, ringAllUserIds: [],
        forwardingNumber: null, callConnect: false, callerIdMode: 'caller', inboundRouting: 'ring_all', assignedUserId: null, monthlyFee: { micros: 1_500_000 },
      });
      expect(restored.charged).toEqual({ micros: 1_500_000, currency: 'USD' });
      expect(await heldAtTwilio(w, number)).toMatchObject({ voiceUrl: w.t.cloud.publicUrl + webhookPaths.inbound, friendlyName: 'Laser line' });
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/managed')).body.map((n: { id: string }) => n.id)).toContain(id);
      expect(await w.t.cloud.db.query(`SELECT reason FROM number_charges WHERE phone_number_id = $1 ORDER BY id`, [id])).toEqual([{ reason: 'purchase' }, { reason: 'restore' }]);
      const restoreAudit = await w.t.cloud.db.query(`SELECT actor_user_id, details->>'settings' AS settings FROM audit_log WHERE entity_id = $1 AND action = 'phone_number.restore'`, [id]);
      expect(restoreAudit).toEqual([{ actor_user_id: null, settings: 'reset' }]);
      await expect(supportRestoreNumber(w.deps, id)).rejects.toMatchObject({ code: 'CONFLICT' });

      // Support does not restore a number deleted with NO (the practice does, with its settings), one deleted more than 10 days ago, or one claimed meanwhile.
      const kept = await buyOne();
      await del(kept.id, { confirmation: 'Delete', release: false });
      await expect(supportRestoreNumber(w.deps, kept.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/restores it itself, with its settings/) });
      const late = await buyOne();
      await del(late.id, { confirmation: 'Delete', release: true, releaseConfirmation: 'Release' });
      await w.t.cloud.db.query(`UPDATE phone_numbers SET deleted_at = now() - interval '10 days 1 minute' WHERE id = $1`, [late.id]);
      await expect(supportRestoreNumber(w.deps, late.id)).rejects.toMatchObject({ code: 'NUMBER_RESTORE_WINDOW_PASSED' });
      const claimed = await buyOne();
      await del(claimed.id, { confirmation: 'Delete', release: true, releaseConfirmation: 'Release' });
      expect(w.sandbox.control.inventory.claimNumber(claimed.number)).toEqual({ claimed: true });
      await expect(supportRestoreNumber(w.deps, claimed.id)).rejects.toMatchObject({ code: 'NUMBER_CLAIMED' });
      expect(await w.t.cloud.db.query(`SELECT status, operation FROM phone_numbers WHERE id = ANY($1::text[])`, [[late.id, claimed.id]])).toEqual([
        { status: 'released', operation: null },
        { status: 'released', operation: null },
      ]);
    });

    it('refusal on day 11, then the release job gives it back to Twilio (once), audited with no actor', async () => {
      const { id, number } = await buyOne();
      await del(id, { confirmation: 'Delete', release: false });
      await ageDeletion(w, id, 11);
      const refused = await restore(id);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('NUMBER_RESTORE_WINDOW_PASSED');
      expect(await heldAtTwilio(w, number)).not.toBeNull(); // the job has not run yet

      const run = await releaseDueNumbers(w.deps);
      expect(run.released).toContain(id);
      expect(run.failed).toEqual([]);
      expect(await heldAtTwilio(w, number)).toBeNull();
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/deleted')).body.find((n: { id: string }) => n.id === id)).toMatchObject({ status: 'released', canRestore: false });
      expect((await releaseDueNumbers(w.deps)).released).not.toContain(id);
      const auto = await w.t.cloud.db.query(`SELECT actor_user_id FROM audit_log WHERE entity_id = $1 AND action = 'phone_number.auto_release'`, [id]);
      expect(auto).toEqual([{ actor_user_id: null }]);
      expect((await restore(id)).body.code).toBe('NUMBER_RELEASED');
    });

    it('the webhooks job points numbers bought before the voice fallback at today’s webhooks, once, and retries one Twilio cannot update', async () => {
      const older = await buyOne();
      const gone = await buyOne();
      // As bought before the fallback existed: no fallback URL at Twilio, no webhooks set recorded here.
      await w.twilio.incomingPhoneNumbers((await heldAtTwilio(w, older.number))!.sid).update({ voiceFallbackUrl: '' });
      expect(await heldAtTwilio(w, older.number)).toMatchObject({ voiceFallbackUrl: '' });
      await w.t.cloud.db.query(`UPDATE phone_numbers SET webhooks_set = NULL WHERE id = ANY($1::text[])`, [[older.id, gone.id]]);
      await w.twilio.incomingPhoneNumbers((await heldAtTwilio(w, gone.number))!.sid).remove(); // released outside the app
      const fresh = await buyOne();

      const run = await pointNumbersAtCloud(w.deps);
      expect(run.pointed).toContain(older.id);
      expect(run.pointed).not.toContain(fresh.id); // bought today: already current
      expect(run.failed).toEqual([gone.id]);
      expect(await heldAtTwilio(w, older.number)).toMatchObject({
        voiceUrl: w.t.cloud.publicUrl + webhookPaths.inbound, voiceFallbackUrl: w.t.cloud.publicUrl + webhookPaths.fallback,
      });
      const sets = await w.t.cloud.db.query<{ id: string; webhooks_set: string | null }>(`SELECT id, webhooks_set FROM phone_numbers WHERE id = ANY($1::text[]) ORDER BY id`, [[older.id, gone.id, fresh.id]]);
      expect(Object.fromEntries(sets.map((r) => [r.id, r.webhooks_set]))).toEqual({ [older.id]: w.deps.webhooksSet(), [gone.id]: null, [fresh.id]: w.deps.webhooksSet() });
      const pointedAudit = await w.t.cloud.db.query(`SELECT actor_user_id FROM audit_log WHERE entity_id = $1 AND action = 'phone_number.webhooks_pointed'`, [older.id]);
      expect(pointedAudit).toEqual([{ actor_user_id: null }]);

      const again = await pointNumbersAtCloud(w.deps);
      expect(again.pointed).toEqual([]);
      expect(again.failed).toEqual([gone.id]); // still tried, still a warning, nothing else touched
      await w.t.cloud.db.query(`UPDATE phone_numbers SET webhooks_set = $2 WHERE id = $1`, [gone.id, w.deps.webhooksSet()]); // out of the other tests' way
    });

    it('refusal when someone else claimed the number meanwhile; bought back when it is still free', async () => {
      const claimed = await buyOne();
      await del(claimed.id, { confirmation: 'Delete', release: false });
      // The hold was lost at Twilio (released outside the app), and another customer bought it.
      await w.twilio.incomingPhoneNumbers((await heldAtTwilio(w, claimed.number))!.sid).remove();
      expect(w.sandbox.control.inventory.claimNumber(claimed.number)).toEqual({ claimed: true });
      const refused = await restore(claimed.id);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('NUMBER_CLAIMED');
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/deleted')).body.find((n: { id: string }) => n.id === claimed.id)).toMatchObject({ status: 'released', canRestore: false });
      expect(await audit(claimed.id)).toEqual(['phone_number.purchase', 'phone_number.delete', 'phone_number.restore_refused']);

      const free = await buyOne();
      await del(free.id, { confirmation: 'Delete', release: false });
      await w.twilio.incomingPhoneNumbers((await heldAtTwilio(w, free.number))!.sid).remove();
      const r = await restore(free.id);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(await heldAtTwilio(w, free.number)).not.toBeNull();
    });

    it('a held number can be released at once ("Release" typed); unknown ids and other accounts’ numbers are not found', async () => {
      const { id, number } = await buyOne();
      await del(id, { confirmation: 'Delete', release: false });
      expect((await w.t.api(w.admin, 'POST', `/v1/numbers/${id}/release`, { releaseConfirmation: 'Yes' })).body.code).toBe('VALIDATION_FAILED');
      const r = await w.t.api(w.admin, 'POST', `/v1/numbers/${id}/release`, { releaseConfirmation: 'Release' });
      expect(r.body).toMatchObject({ status: 'released' });
      expect(await heldAtTwilio(w, number)).toBeNull();
      expect((await restore('num_nope')).status).toBe(404);
      expect((await del('num_nope', { confirmation: 'Delete', release: false })).status).toBe(404);
    });
  });

  describe("members' inbound numbers", () => {
    it('one per member: a second is refused naming the holder; the staff screen swaps a member’s own number', async () => {
      const first = await buyOne('332');
      const second = await buyOne('332');
      const avery = DEMO_USERS.receptionist2.id;
      const set = (userId: string, phoneNumberId: string | null) => w.t.api(w.admin, 'PUT', `/v1/users/${userId}/inbound-number`, { phoneNumberId });
      const assignments = async (): Promise<number> =>
        (await w.t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'user.inbound_number'`, [avery]))[0]!.n;
      const before = await assignments();

      expect((await set(avery, first.id)).body.inboundNumberId).toBe(first.id);
      expect((await set(avery, second.id)).body.inboundNumberId).toBe(second.id); // swapped
      expect((await w.t.api(w.admin, 'GET', '/v1/numbers/managed')).body.find((n: { id: string }) => n.id === first.id).assignedUserId).toBeNull();

      const taken = await set(avery, DEMO_NUMBERS.jordanDirect.id);
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: 'NUMBER_ALREADY_ASSIGNED', detail: expect.stringContaining('Jordan Lee') });
      const second2 = await w.t.api(w.admin, 'PATCH', `/v1/numbers/${first.id}`, { assignedUserId: DEMO_USERS.receptionist.id });
      expect(second2.status).toBe(409);
      expect(second2.body.detail).toContain("Jordan's direct line");
      const stolen = await w.t.api(w.admin, 'PATCH', `/v1/numbers/${second.id}`, { assignedUserId: DEMO_USERS.receptionist.id });
      expect(stolen.body.detail).toContain('Avery Patel');

      expect((await set(avery, null)).body.inboundNumberId).toBeNull();
      expect((await w.t.api(w.receptionist, 'PUT', `/v1/users/${avery}/inbound-number`, { phoneNumberId: first.id })).status).toBe(403);
      expect((await set('usr_nope', first.id)).status).toBe(404);
      expect((await set(avery, 'num_nope')).status).toBe(404);
      // Three changes made, three audited; the refusals changed nothing.
      expect((await assignments()) - before).toBe(3);
    });

    it('forwarding to one of the practice’s own numbers is refused (it would loop); another practice’s number is an ordinary destination', async () => {
      const r = await w.t.api(w.admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { forwardingNumber: DEMO_NUMBERS.beverlyHillsMain.number });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([{ path: 'forwardingNumber', message: expect.any(String) }]);

      // The check looks only at the practice's own numbers: it must not tell whether a number is another practice's.
      const elsewhere = await otherPracticeNumber(w, '+17205550142');
      const forwarded = await w.t.api(w.admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { forwardingNumber: elsewhere.number });
      expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
      expect(forwarded.body.forwardingNumber).toBe(elsewhere.number);
      expect((await w.t.api(w.admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { forwardingNumber: null })).status).toBe(200);
    });
  });
});

describe('the release job runs by itself', () => {
  it('is scheduled hourly on the cloud’s pg-boss and releases a number held past its 10 days (PGlite)', async () => {
    const w = await startNumbersWorld('pglite', {}, { workers: true });
    try {
      const boss = w.t.cloud.automation!.engine.boss;
      expect((await boss.getSchedules(RELEASE_QUEUE)).map((s) => [s.name, s.cron])).toEqual([[RELEASE_QUEUE, RELEASE_CRON]]);
      // And the webhooks job beside it (hourly, and once at start).
      expect((await boss.getSchedules(POINT_WEBHOOKS_QUEUE)).map((s) => [s.name, s.cron])).toEqual([[POINT_WEBHOOKS_QUEUE, POINT_WEBHOOKS_CRON]]);
      const [n] = (await (await w.t.api(w.admin, 'GET', '/v1/numbers/available?match=424&matchAt=first&limit=1')).body).numbers;
      const bought = (await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [n.phoneNumber] })).body.results[0];
      await w.t.api(w.admin, 'POST', `/v1/numbers/${bought.number.id}/delete`, { confirmation: 'Delete', release: false });
      await ageDeletion(w, bought.number.id, 10.01);
      // What the hourly cron does, now.
      await boss.send(RELEASE_QUEUE, null);
      await expect.poll(async () => heldAtTwilio(w, n.phoneNumber), { timeout: 60_000, interval: 250 }).toBeNull();
      await expect.poll(async () => (await w.t.cloud.db.query<{ status: string }>(`SELECT status FROM phone_numbers WHERE id = $1`, [bought.number.id]))[0]?.status).toBe('released');
    } finally {
      await w.stop();
    }
  });

  it('a cloud in sandbox mode without a sandbox says so instead of reaching api.twilio.com', async () => {
    const base = sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: fastArgon });
    const cloud = await startCloud({ config: { ...base, automation: { ...base.automation, workers: false } }, seed: true, pgliteTemplate: testSchemaTemplate });
    try {
      const login = await fetch(`${cloud.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_USERS.admin.email, password: 'glow-demo-2024', deviceName: 't' }) });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const r = await fetch(`${cloud.url}/v1/numbers/available`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(r.status).toBe(503);
      expect(((await r.json()) as { code: string }).code).toBe('TWILIO_NOT_CONFIGURED');
    } finally {
      await cloud.stop();
    }
  });
});
