import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { taggedName } from '../../src/cloud/numbers/ownership';
import { reconcileTwilioNumbers, RECONCILE_CRON, RECONCILE_QUEUE } from '../../src/cloud/numbers/reconcile-job';
import { TwilioNumberError } from '../../src/cloud/numbers/twilio-numbers';
import { sweepUnconfirmedPurchases } from '../../src/cloud/numbers/unconfirmed-job';
import { DEMO_USERS } from '../../src/cloud/seed';
import type { PurchaseResult } from '../../src/shared/cloud/numbers';
import { backends, stopTestPostgres } from '../support/cloud-harness';
import {
  chargesOf as chargesOfIn, forSale as forSaleIn, heldAtTwilio, otherPracticeNumber, startNumbersWorld, unconfirmedOnScreen, withTwilio, type NumbersWorld,
} from '../support/numbers-harness';

afterAll(stopTestPostgres);

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Twilio may finish a purchase whose answer was lost after the app settled it as not bought. The
 * reconciliation (a pg-boss job) reads the platform's Twilio account, and gives back a number
 * still tagged with such a purchase that no row records: the admin was told it was not bought and
 * nothing was charged. Numbers the app cannot prove it bought are never released.
 */
describe.each(backends)('numbers Twilio bought after their purchase was settled not bought, on %s', (backend) => {
  let w: NumbersWorld;
  beforeAll(async () => {
    w = await startNumbersWorld(backend);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const db = () => w.t.cloud.db;
  const forSale = (areaCode: string): Promise<string> => forSaleIn(w, areaCode);
  const reconcile = (deps = w.deps, options = {}) => reconcileTwilioNumbers(deps, options);
  /** Proceed to Buy through the cloud API, as the admin's Numbers screen sends it. */
  const buy = async (phoneNumber: string) => {
    const res = await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [phoneNumber], locationId: null });
    expect(res.status).toBe(200);
    return (res.body as PurchaseResult).results[0]!;
  };
  const intentsOf = (phoneNumber: string) =>
    db().query<{ id: string; status: string; landed: boolean }>(
      `SELECT id, status, landed_late_at IS NOT NULL AS landed FROM number_purchase_intents WHERE phone_number = $1 ORDER BY created_at`,
      [phoneNumber],
    );
  const rowsOf = (phoneNumber: string) => db().query(`SELECT id FROM phone_numbers WHERE number = $1`, [phoneNumber]);
  const chargesOf = (phoneNumber: string) => chargesOfIn(w, phoneNumber);
  const auditOf = (phoneNumber: string) =>
    db().query<{ account_id: string; actor_user_id: string | null; details: Record<string, unknown> }>(
      `SELECT account_id, actor_user_id, details FROM audit_log WHERE action = 'phone_number.purchase_settled' AND details->>'phoneNumber' = $1 AND details->>'outcome' = 'landed_late_given_back'`,
      [phoneNumber],
    );
  const age = (phoneNumber: string, minutes: number) =>
    db().query(
      `UPDATE number_purchase_intents SET unconfirmed_at = unconfirmed_at - make_interval(mins => $2), created_at = created_at - make_interval(mins => $2) WHERE phone_number = $1`,
      [phoneNumber, minutes],
    );
  const screen = (phoneNumber: string) => unconfirmedOnScreen(w, phoneNumber);
  /** A purchase settled as not bought whose number Twilio then bought (tagged with it), written directly. */
  const landedLate = async (areaCode: string, accountId = DEMO_ACCOUNT_ID) => {
    const phoneNumber = await forSale(areaCode);
    const id = 'npi_' + crypto.randomUUID().replace(/-/g, '');
    await db().query(`INSERT INTO number_purchase_intents (id, account_id, phone_number, status, resolved_at) VALUES ($1, $2, $3, 'not_bought', now())`, [id, accountId, phoneNumber]);
    const owned = await w.deps.provider().buy(phoneNumber, { friendlyName: taggedName('Late', id), ...w.deps.webhooks() });
    return { phoneNumber, id, sid: owned.sid };
  };

  it('a purchase that lands after the sweep recorded it as not bought is given back at Twilio, never charged; the admin sees so; running again changes nothing', async () => {
    const number = await forSale('720');
    // Twilio gets the purchase but its answer is lost, and so is the look-up after it: unconfirmed.
    w.sandbox.control.dropRestRequests('/IncomingPhoneNumbers.json', 1, 'POST', { carryOutLater: true });
    w.sandbox.control.dropRestRequests('PhoneNumber=', 1, 'GET');
    expect(await buy(number)).toMatchObject({ status: 'failed', unconfirmed: true });
    await age(number, 3);
    // The sweep asks Twilio after the grace: it has nothing yet, so the purchase is settled not bought.
    const [intent] = await intentsOf(number);
    expect((await sweepUnconfirmedPurchases(w.deps)).not_bought).toEqual([intent!.id]);
    expect(await screen(number)).toMatchObject([{ state: 'not_bought' }]);
    expect((await reconcile()).givenBack).toEqual([]); // nothing at Twilio yet

    // Then Twilio finishes the purchase: the account pays for a number no practice has.
    expect(await w.sandbox.control.carryOutDroppedRequests()).toBe(1);
    const stray = (await heldAtTwilio(w, number))!;
    expect(stray.friendlyName).toContain(`[${intent!.id}]`);

    const result = await reconcile();
    expect(result).toMatchObject({ givenBack: [intent!.id], notNow: [], complete: true });
    expect(result.scanned).toBeGreaterThan(0);
    expect(await heldAtTwilio(w, number)).toBeNull();
    expect(await rowsOf(number)).toEqual([]);
    expect(await chargesOf(number)).toBe(0);
    expect(await intentsOf(number)).toEqual([{ id: intent!.id, status: 'released', landed: true }]);
    expect(await auditOf(number)).toEqual([{ account_id: DEMO_ACCOUNT_ID, actor_user_id: null, details: expect.objectContaining({ intentId: intent!.id, twilioSid: stray.sid }) }]);
    expect(await screen(number)).toEqual([{ id: intent!.id, phoneNumber: number, requestedAt: expect.any(String), state: 'not_added', settledAt: expect.any(String), landedLate: true }]);

    // Idempotent: the next runs find nothing of it; the number is for sale again.
    expect((await reconcile()).givenBack).toEqual([]);
    expect(await auditOf(number)).toHaveLength(1);
    expect(await buy(number)).toMatchObject({ status: 'bought' });
    expect((await reconcile()).givenBack).toEqual([]);
    expect(await heldAtTwilio(w, number)).not.toBeNull(); // bought and recorded now: the practice's
  });

  it('a purchase that lands just after the look-up found nothing (settled not bought at once) is given back too, and listed for the admin', async () => {
    const number = await forSale('332');
    w.sandbox.control.dropRestRequests('/IncomingPhoneNumbers.json', 1, 'POST', { carryOutLater: true });
    expect(await buy(number)).toMatchObject({ status: 'failed', message: expect.stringMatching(/not bought/) });
    expect(await screen(number)).toEqual([]); // told "not bought" at once: nothing to follow up
    await w.sandbox.control.carryOutDroppedRequests();
    const [intent] = await intentsOf(number);
    expect((await reconcile()).givenBack).toEqual([intent!.id]);
    expect(await heldAtTwilio(w, number)).toBeNull();
    expect(await screen(number)).toMatchObject([{ state: 'not_added', landedLate: true }]);
  });

  it('the admin buying it again before the reconciliation gets it (added, billed once, theirs); not while a run is giving it back', async () => {
    const number = await forSale('720');
    w.sandbox.control.dropRestRequests('/IncomingPhoneNumbers.json', 1, 'POST', { carryOutLater: true });
    expect(await buy(number)).toMatchObject({ status: 'failed' });
    await w.sandbox.control.carryOutDroppedRequests();
    const [late] = await intentsOf(number);
    // Twilio answers "not available" (the account holds it); the number carries the practice's own earlier purchase: adopted.
    const again = await buy(number);
    expect(again).toMatchObject({ status: 'bought' });
    expect((await intentsOf(number)).map((i) => [i.id === late!.id, i.status])).toEqual([[true, 'recorded'], [false, 'recorded']]);
    expect(await rowsOf(number)).toHaveLength(1);
    expect(await chargesOf(number)).toBe(1);
    expect((await reconcile()).givenBack).toEqual([]);
    expect(await heldAtTwilio(w, number)).not.toBeNull();

    // While a reconciliation run is giving one back, buying it again does not take it over.
    const other = await forSale('720');
    w.sandbox.control.dropRestRequests('/IncomingPhoneNumbers.json', 1, 'POST', { carryOutLater: true });
    await buy(other);
    await w.sandbox.control.carryOutDroppedRequests();
    await db().query(`UPDATE number_purchase_intents SET reconcile_claimed_at = now() WHERE phone_number = $1`, [other]);
    expect(await buy(other)).toMatchObject({ status: 'taken' });
    expect(await rowsOf(other)).toEqual([]);
    await db().query(`UPDATE number_purchase_intents SET reconcile_claimed_at = now() - interval '6 minutes' WHERE phone_number = $1`, [other]);
    expect((await reconcile()).givenBack).toHaveLength(1); // a lapsed claim: the next run gives it back
    expect(await heldAtTwilio(w, other)).toBeNull();
  });

  it('numbers not provably bought here are never released: untagged, a tag of no purchase here, a tag for another number, another practice’s, one being bought again', async () => {
    const support = '+14155550961';
    const foreign = '+14155550962';
    const copied = '+14155550963';
    const bySupport = w.sandbox.control.addNumber({ phoneNumber: support, friendlyName: 'Bought by support' });
    const otherDeployment = w.sandbox.control.addNumber({ phoneNumber: foreign, friendlyName: `Staging line [npi_${'f'.repeat(32)}]` });
    const late = await landedLate('646');
    const copiedName = w.sandbox.control.addNumber({ phoneNumber: copied, friendlyName: taggedName('Copy', late.id) });
    const theirs = await otherPracticeNumber(w, '+14155550964');
    // The admin is buying this one again right now: its purchase decides, not the reconciliation.
    const rebuying = await landedLate('917');
    await db().query(`INSERT INTO number_purchase_intents (id, account_id, phone_number) VALUES ($1, $2, $3)`, ['npi_' + 'a'.repeat(32), DEMO_ACCOUNT_ID, rebuying.phoneNumber]);

    const result = await reconcile();
    expect(result.notOurs).toEqual(expect.arrayContaining([bySupport.sid, otherDeployment.sid, copiedName.sid]));
    expect(result.wait).toEqual([rebuying.sid]);
    expect(result.givenBack).toEqual([late.id]);
    for (const n of [support, foreign, copied, theirs.number, rebuying.phoneNumber]) expect(await heldAtTwilio(w, n)).not.toBeNull();
    expect(await heldAtTwilio(w, late.phoneNumber)).toBeNull();
    expect([...result.notOurs, ...result.wait, ...result.operator]).not.toContain(theirs.sid); // recorded by its row: not a stray at all
    // Once that purchase is settled (as not bought: Twilio said the number was not available), the late number goes back.
    await db().query(`UPDATE number_purchase_intents SET status = 'not_bought', resolved_at = now() WHERE id = $1`, ['npi_' + 'a'.repeat(32)]);
    expect((await reconcile()).givenBack).toEqual([rebuying.id]);
  });

  it('a worker warns of numbers no practice records once, when they first appear, not every run; one that leaves and comes back is told again', async () => {
    const logged: { level: string; fields: Record<string, unknown> }[] = [];
    const at = (level: string) => (fields: Record<string, unknown>) => void logged.push({ level, fields });
    const log = { ...w.deps.ctx.log, warn: at('warn'), debug: at('debug'), info: at('info'), error: at('error') } as unknown as typeof w.deps.ctx.log;
    const deps = { ...w.deps, ctx: { ...w.deps.ctx, log } };
    const told = { sids: new Set<string>() };
    const warned = () => logged.filter((l) => l.level === 'warn').map((l) => [...(l.fields.notOurs as string[]), ...(l.fields.operator as string[])]);
    const first = w.sandbox.control.addNumber({ phoneNumber: '+14155550971', friendlyName: 'Bought by hand' });
    await reconcile(deps, { told });
    expect(warned().flat()).toContain(first.sid);
    const strays = warned()[0]!.length;
    logged.length = 0;
    await reconcile(deps, { told });
    expect(warned()).toEqual([]);
    expect(logged.some((l) => l.level === 'debug' && l.fields.strays === strays)).toBe(true);
    const second = w.sandbox.control.addNumber({ phoneNumber: '+14155550972', friendlyName: 'Bought by hand too' });
    logged.length = 0;
    await reconcile(deps, { told });
    expect(warned()).toEqual([[second.sid]]);
    // Gone from the account, then back: told again.
    await w.deps.provider().release(first.sid);
    await reconcile(deps, { told });
    w.sandbox.control.addNumber({ phoneNumber: '+14155550971', friendlyName: 'Bought by hand again' });
    logged.length = 0;
    await reconcile(deps, { told });
    expect(warned().flat()).toHaveLength(1);
  });

  it('two runs at once release a late number once, audited once; one Twilio does not release is tried again next run', async () => {
    const late = await landedLate('424');
    const slow = withTwilio(w, {
      bySid: async (sid) => {
        await later(150);
        return w.deps.provider().bySid(sid);
      },
    });
    const [a, b] = await Promise.all([reconcile(slow), reconcile(slow)]);
    expect([...a.givenBack, ...b.givenBack]).toEqual([late.id]);
    expect(await auditOf(late.phoneNumber)).toHaveLength(1);

    const stuck = await landedLate('424');
    const refusing = withTwilio(w, { release: async () => Promise.reject(new TwilioNumberError('unreachable', 'Twilio could not be reached: socket hang up', null)) });
    expect(await reconcile(refusing)).toMatchObject({ givenBack: [], notNow: [stuck.id] });
    expect(await intentsOf(stuck.phoneNumber)).toEqual([{ id: stuck.id, status: 'not_bought', landed: false }]);
    expect(await heldAtTwilio(w, stuck.phoneNumber)).not.toBeNull();
    expect((await reconcile()).givenBack).toEqual([stuck.id]);
  });

  it('is bounded: at most maxGiveBacks released a run (the rest next run), and a scan cut at maxPages says it is incomplete', async () => {
    const first = await landedLate('213');
    const second = await landedLate('213');
    const run = await reconcile(w.deps, { maxGiveBacks: 1 });
    expect(run.givenBack).toHaveLength(1);
    expect(run.notNow).toHaveLength(1);
    expect((await reconcile()).givenBack).toEqual(run.notNow);
    expect(await heldAtTwilio(w, first.phoneNumber)).toBeNull();
    expect(await heldAtTwilio(w, second.phoneNumber)).toBeNull();

    const cut = await reconcile(w.deps, { pageSize: 1, maxPages: 2 });
    expect(cut).toMatchObject({ scanned: 2, complete: false });
    const whole = await reconcile(w.deps, { pageSize: 2 });
    expect(whole.complete).toBe(true);
    expect(whole.scanned).toBe((await w.twilio.incomingPhoneNumbers.list()).length);
  });

  it('a late number of another practice’s purchase is given back in that practice, audited there', async () => {
    const theirs = await otherPracticeNumber(w, '+14155550965');
    const late = await landedLate('424', theirs.accountId);
    expect((await reconcile()).givenBack).toEqual([late.id]);
    expect(await auditOf(late.phoneNumber)).toEqual([expect.objectContaining({ account_id: theirs.accountId })]);
    expect(await screen(late.phoneNumber)).toEqual([]); // not the demo practice's
  });
});

describe('the reconciliation runs by itself', () => {
  it('is scheduled every 15 minutes on the cloud’s pg-boss, one run at a time, and gives back a late number (PGlite)', async () => {
    const w = await startNumbersWorld('pglite', {}, { workers: true });
    try {
      const boss = w.t.cloud.automation!.engine.boss;
      expect((await boss.getSchedules(RECONCILE_QUEUE)).map((s) => [s.name, s.cron])).toEqual([[RECONCILE_QUEUE, RECONCILE_CRON]]);
      expect((await boss.getQueue(RECONCILE_QUEUE))?.policy).toBe('singleton');
      const number = await forSaleIn(w, '512');
      const intentId = 'npi_' + 'b'.repeat(32);
      await w.t.cloud.db.query(
        `INSERT INTO number_purchase_intents (id, account_id, phone_number, requested_by, status, resolved_at) VALUES ($1, $2, $3, $4, 'not_bought', now())`,
        [intentId, DEMO_ACCOUNT_ID, number, DEMO_USERS.admin.id],
      );
      await w.deps.provider().buy(number, { friendlyName: taggedName('Late', intentId), ...w.deps.webhooks() });
      // What the cron does, now.
      await boss.send(RECONCILE_QUEUE, null);
      const status = async () => (await w.t.cloud.db.query<{ status: string }>(`SELECT status FROM number_purchase_intents WHERE id = $1`, [intentId]))[0]?.status;
      await expect.poll(status, { timeout: 60_000, interval: 250 }).toBe('released');
      expect(await heldAtTwilio(w, number)).toBeNull();
    } finally {
      await w.stop();
    }
  });
});
