import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { keepBought, verifiedAgain } from '../../src/cloud/numbers/bought';
import { deleteNumber, restoreNumber } from '../../src/cloud/numbers/lifecycle';
import { purchaseNumbers } from '../../src/cloud/numbers/purchase';
import { TwilioNumberError, type NumberProvider } from '../../src/cloud/numbers/twilio-numbers';
import { sweepUnconfirmedPurchases, UNCONFIRMED_CRON, UNCONFIRMED_QUEUE } from '../../src/cloud/numbers/unconfirmed-job';
import { DEMO_LOCATIONS, DEMO_USERS } from '../../src/cloud/seed';
import type { PurchaseOutcome } from '../../src/shared/cloud/numbers';
import { backends, stopTestPostgres } from '../support/cloud-harness';
import {
  buyAs as buyIn, chargesOf as chargesOfIn, forSale as forSaleIn, heldAtTwilio, noAnswer, numbersAdmin as admin, otherPracticeNumber, startNumbersWorld, unconfirmedOnScreen, withTwilio as withTwilioIn, type NumbersWorld,
} from '../support/numbers-harness';

afterAll(stopTestPostgres);

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A purchase whose buy and look-up both got no answer stays unconfirmed; the sweep (a pg-boss job)
 * asks Twilio again after a short grace and adopts the number when this purchase bought it, or
 * settles the purchase as not bought. The admin sees what became of it in Settings → Phone Numbers.
 */
describe.each(backends)('purchases Twilio never confirmed, settled by the sweep, on %s', (backend) => {
  let w: NumbersWorld;
  beforeAll(async () => {
    w = await startNumbersWorld(backend);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const db = () => w.t.cloud.db;
  const withTwilio = (override: Partial<NumberProvider>) => withTwilioIn(w, override);
  const buyAs = (provider: Partial<NumberProvider>, phoneNumber: string, locationId: string | null = null): Promise<PurchaseOutcome> => buyIn(w, provider, phoneNumber, locationId);
  /** Twilio bought it, but neither the answer nor the look-up after it came back. */
  const boughtUnheard: Partial<NumberProvider> = {
    buy: async (n, config) => {
      await w.deps.provider().buy(n, config);
      throw noAnswer();
    },
    byNumber: async () => Promise.reject(noAnswer()),
  };
  /** Twilio never got the purchase, and could not be asked either. */
  const neverHeard: Partial<NumberProvider> = { buy: async () => Promise.reject(noAnswer()), byNumber: async () => Promise.reject(noAnswer()) };
  const forSale = (areaCode: string): Promise<string> => forSaleIn(w, areaCode);
  const intentsOf = async (phoneNumber: string) =>
    db().query<{ id: string; status: string }>(`SELECT id, status FROM number_purchase_intents WHERE phone_number = $1 ORDER BY created_at`, [phoneNumber]);
  const rowsOf = (phoneNumber: string) =>
    db().query<{ account_id: string; status: string; twilio_sid: string | null; location_id: string | null }>(
      `SELECT account_id, status, twilio_sid, location_id FROM phone_numbers WHERE number = $1 ORDER BY created_at`,
      [phoneNumber],
    );
  const chargesOf = (phoneNumber: string) => chargesOfIn(w, phoneNumber);
  /** Moves the purchase's clocks back: as if it had got no answer (and been checked) `minutes` ago. */
  const age = async (phoneNumber: string, minutes: number) =>
    db().query(
      `UPDATE number_purchase_intents SET unconfirmed_at = unconfirmed_at - make_interval(mins => $2), checked_at = checked_at - make_interval(mins => $2), created_at = created_at - make_interval(mins => $2)
        WHERE phone_number = $1`,
      [phoneNumber, minutes],
    );
  const screen = (phoneNumber: string) => unconfirmedOnScreen(w, phoneNumber);
  const sweep = (deps = w.deps) => sweepUnconfirmedPurchases(deps);

  it('a purchase Twilio made without saying so is added after the grace, ringing where the admin chose, billed once; running again changes nothing', async () => {
    const number = await forSale('720');
    const outcome = await buyAs(boughtUnheard, number, DEMO_LOCATIONS.santaMonica.id);
    expect(outcome).toMatchObject({ status: 'failed', unconfirmed: true, message: expect.stringMatching(/not known yet whether this number was bought.*asks Twilio again/) });
    const [intent] = await intentsOf(number);
    expect(intent).toMatchObject({ status: 'unconfirmed' });
    expect(await screen(number)).toEqual([{ id: intent!.id, phoneNumber: number, requestedAt: expect.any(String), state: 'checking', settledAt: null }]);

    // Within the grace, nothing is asked.
    expect((await sweep()).added).toEqual([]);
    expect(await rowsOf(number)).toEqual([]);

    await age(number, 3);
    const swept = await sweep();
    expect(swept.added).toEqual([intent!.id]);
    const atTwilio = (await heldAtTwilio(w, number))!;
    expect(await rowsOf(number)).toEqual([{ account_id: DEMO_ACCOUNT_ID, status: 'active', twilio_sid: atTwilio.sid, location_id: DEMO_LOCATIONS.santaMonica.id }]);
    expect(atTwilio.friendlyName).not.toMatch(/npi_/); // the purchase tag has done its work
    expect(await chargesOf(number)).toBe(1);
    expect((await intentsOf(number)).map((i) => i.status)).toEqual(['recorded']);
    const audit = await db().query<{ actor_user_id: string | null; details: Record<string, unknown> }>(
      `SELECT actor_user_id, details FROM audit_log WHERE action = 'phone_number.purchase' AND details->>'phoneNumber' = $1`,
      [number],
    );
    expect(audit).toEqual([{ actor_user_id: null, details: expect.objectContaining({ confirmedAfterNoAnswer: true, intentId: intent!.id, requestedBy: DEMO_USERS.admin.id }) }]);
    expect(await screen(number)).toMatchObject([{ state: 'added', settledAt: expect.any(String) }]);
    const list = await w.t.api(w.admin, 'GET', '/v1/numbers/managed');
    expect(list.body.map((n: { number: string }) => n.number)).toContain(number);

    // Idempotent: later runs find nothing to do.
    await age(number, 10);
    expect(Object.values(await sweep()).flat()).toEqual([]);
    expect(await rowsOf(number)).toHaveLength(1);
    expect(await chargesOf(number)).toBe(1);
  });

  it('one Twilio does not have (or has from someone else) is settled as not bought once the grace has passed; nothing is added or charged', async () => {
    const number = await forSale('424');
    expect(await buyAs(neverHeard, number)).toMatchObject({ status: 'failed', unconfirmed: true });
    // Another practice's number, whose purchase here got no answer either.
    const theirs = await otherPracticeNumber(w, '+14155550977');
    expect(await buyAs(neverHeard, theirs.number)).toMatchObject({ status: 'taken' }); // their row records it: never in flight here
    const bogus = '+14155550976';
    w.sandbox.control.addNumber({ phoneNumber: bogus, friendlyName: 'Bought by support' });
    expect(await buyAs(neverHeard, bogus)).toMatchObject({ status: 'failed', unconfirmed: true });

    expect(Object.values(await sweep()).flat()).toEqual([]); // still in the grace
    await age(number, 3);
    await age(bogus, 3);
    const swept = await sweep();
    expect(swept.not_bought.sort()).toEqual([(await intentsOf(number))[0]!.id, (await intentsOf(bogus))[0]!.id].sort());
    expect((await intentsOf(number)).map((i) => i.status)).toEqual(['not_bought']);
    expect(await rowsOf(number)).toEqual([]);
    expect(await heldAtTwilio(w, number)).toBeNull();
    // Twilio's number under it is not this purchase's: left alone, not adopted.
    expect(await rowsOf(bogus)).toEqual([]);
    expect(await heldAtTwilio(w, bogus)).toMatchObject({ friendlyName: 'Bought by support' });
    expect(await screen(number)).toMatchObject([{ state: 'not_bought', settledAt: expect.any(String) }]);
    expect(await db().query(`SELECT 1 FROM audit_log WHERE action = 'phone_number.purchase_settled' AND details->>'phoneNumber' = $1 AND details->>'outcome' = 'not_bought'`, [number])).toHaveLength(1);
  });

  it('a look-up Twilio does not answer leaves the purchase unconfirmed; it is asked again a few minutes later', async () => {
    const number = await forSale('332');
    await buyAs(boughtUnheard, number);
    await age(number, 3);
    const [intent] = await intentsOf(number);
    expect((await sweep(withTwilio({ byNumber: async () => Promise.reject(noAnswer()) }))).unanswered).toEqual([intent!.id]);
    expect((await intentsOf(number)).map((i) => i.status)).toEqual(['unconfirmed']);
    expect(await screen(number)).toMatchObject([{ state: 'checking' }]);
    // Just checked: not asked again at once.
    expect((await sweep()).added).toEqual([]);
    await age(number, 6);
    expect((await sweep()).added).toEqual([intent!.id]);
  });

  it('a purchase left in flight by a crash is swept too', async () => {
    const number = await forSale('512');
    // Bought at Twilio with its tag, then the process died before it heard back: the intent is still pending.
    const intentId = 'npi_' + 'c'.repeat(32);
    await db().query(`INSERT INTO number_purchase_intents (id, account_id, phone_number, requested_by) VALUES ($1, $2, $3, $4)`, [intentId, DEMO_ACCOUNT_ID, number, DEMO_USERS.admin.id]);
    await w.deps.provider().buy(number, { friendlyName: `Crashed [${intentId}]`, ...w.deps.webhooks() });
    await age(number, 9);
    expect(Object.values(await sweep()).flat()).toEqual([]); // 9 minutes in flight is not stale yet
    await db().query(`UPDATE number_purchase_intents SET created_at = created_at - interval '2 minutes' WHERE id = $1`, [intentId]);
    await sweep(); // now unconfirmed, from now
    expect((await intentsOf(number)).map((i) => i.status)).toEqual(['unconfirmed']);
    await age(number, 3);
    expect((await sweep()).added).toEqual([intentId]);
  });

  it('two workers sweeping at once, and a sweep racing the admin’s retry: the number is added once', async () => {
    const number = await forSale('646');
    await buyAs(boughtUnheard, number);
    await age(number, 3);
    const slow = withTwilio({
      byNumber: async (n) => {
        await later(150);
        return w.deps.provider().byNumber(n);
      },
    });
    const [a, b] = await Promise.all([sweep(slow), sweep(slow)]);
    expect([...a.added, ...b.added]).toHaveLength(1);
    expect(await rowsOf(number)).toHaveLength(1);
    expect(await chargesOf(number)).toBe(1);

    // The adoption itself is serialised on the purchase: two at once (a retry and the sweep), one row.
    const other = await forSale('646');
    await buyAs(boughtUnheard, other);
    const [intent] = await intentsOf(other);
    const owned = (await w.deps.provider().byNumber(other))!;
    const verified = (await verifiedAgain(db(), DEMO_ACCOUNT_ID, other, null))!;
    const kept = await Promise.all([1, 2].map(() => keepBought(w.deps, { accountId: DEMO_ACCOUNT_ID, actorUserId: null }, verified, { owned, intentId: intent!.id, name: 'Twice' })));
    expect(kept.map((k) => k.kind).sort()).toEqual(['added', 'recorded-meanwhile']);
    expect(await rowsOf(other)).toHaveLength(1);
    expect(await chargesOf(other)).toBe(1);
    expect(await heldAtTwilio(w, other)).not.toBeNull(); // the loser gave nothing back

    // The admin buys it again while the sweep adds it: told it is the practice's already, not that someone else bought it.
    const third = await forSale('646');
    await buyAs(boughtUnheard, third);
    await age(third, 3);
    const retry = await buyAs({
      buy: async () => {
        await sweep();
        throw new TwilioNumberError('not-available', 'Twilio refused: The phone number is not available', 21422);
      },
    }, third);
    expect(retry).toMatchObject({ status: 'taken', message: 'This number is already one of the practice’s numbers.' });
    expect(await rowsOf(third)).toHaveLength(1);
    expect((await intentsOf(third)).map((i) => i.status)).toEqual(['recorded', 'not_bought']);
  });

  it('buying it again settles it at once: an earlier unconfirmed purchase that bought nothing is marked not bought', async () => {
    const number = await forSale('917');
    await buyAs(neverHeard, number);
    expect(await buyAs({}, number)).toMatchObject({ status: 'bought' });
    expect((await intentsOf(number)).map((i) => i.status)).toEqual(['not_bought', 'recorded']);
    expect(await screen(number)).toMatchObject([{ state: 'not_bought' }]);
    await age(number, 10);
    expect(Object.values(await sweep()).flat()).toEqual([]);
  });

  it('a restore that bought the number back without hearing so: the held row holds it again, and Restore then works', async () => {
    const [bought] = (await purchaseNumbers(w.deps, admin, { country: 'US', numberType: 'local', phoneNumbers: [await forSale('213')], locationId: null })).results;
    if (bought?.status !== 'bought') throw new Error(JSON.stringify(bought));
    await deleteNumber(w.deps, admin, bought.number.id, { confirmation: 'Delete', release: false });
    // Its hold is lost at Twilio (released outside the app); the restore buys it back but hears nothing.
    await w.twilio.incomingPhoneNumbers((await heldAtTwilio(w, bought.number.number))!.sid).remove();
    await expect(restoreNumber(withTwilio(boughtUnheard), admin, bought.number.id)).rejects.toMatchObject({ code: 'TWILIO_REQUEST_FAILED' });
    await age(bought.number.number, 3);
    const [, restoreIntent] = await intentsOf(bought.number.number);
    expect((await sweep()).hold).toEqual([restoreIntent!.id]);
    const atTwilio = (await heldAtTwilio(w, bought.number.number))!;
    expect(await rowsOf(bought.number.number)).toEqual([{ account_id: DEMO_ACCOUNT_ID, status: 'held', twilio_sid: atTwilio.sid, location_id: null }]);
    expect(await screen(bought.number.number)).toEqual([]); // a restore is not a purchase on the list
    const restored = await restoreNumber(w.deps, admin, bought.number.id);
    expect(restored.number).toMatchObject({ status: 'active' });
    expect(await rowsOf(bought.number.number)).toEqual([{ account_id: DEMO_ACCOUNT_ID, status: 'active', twilio_sid: atTwilio.sid, location_id: null }]);
  });

  it('only admins see the list, and only their own practice’s purchases', async () => {
    expect((await w.t.api(w.receptionist, 'GET', '/v1/numbers/purchases/unconfirmed')).status).toBe(403);
    const theirs = await otherPracticeNumber(w, '+14155550975');
    await db().query(
      `INSERT INTO number_purchase_intents (id, account_id, phone_number, status, resolved_at, unconfirmed_at) VALUES ($1, $2, '+14155550974', 'unconfirmed', now(), now())`,
      ['npi_' + 'd'.repeat(32), theirs.accountId],
    );
    expect(await screen('+14155550974')).toEqual([]);
  });
});

describe('the sweep runs by itself', () => {
  it('is scheduled every minute on the cloud’s pg-boss and adds a number Twilio bought without saying so (PGlite)', async () => {
    const w = await startNumbersWorld('pglite', {}, { workers: true });
    try {
      const boss = w.t.cloud.automation!.engine.boss;
      expect((await boss.getSchedules(UNCONFIRMED_QUEUE)).map((s) => [s.name, s.cron])).toEqual([[UNCONFIRMED_QUEUE, UNCONFIRMED_CRON]]);
      const number = (await w.t.api(w.admin, 'GET', '/v1/numbers/available?match=424&matchAt=first&limit=1')).body.numbers[0].phoneNumber as string;
      const intentId = 'npi_' + 'e'.repeat(32);
      await w.t.cloud.db.query(
        `INSERT INTO number_purchase_intents (id, account_id, phone_number, requested_by, status, resolved_at, unconfirmed_at)
         VALUES ($1, $2, $3, $4, 'unconfirmed', now(), now() - interval '3 minutes')`,
        [intentId, DEMO_ACCOUNT_ID, number, DEMO_USERS.admin.id],
      );
      await w.deps.provider().buy(number, { friendlyName: `Unheard [${intentId}]`, ...w.deps.webhooks() });
      // What the minute's cron does, now.
      await boss.send(UNCONFIRMED_QUEUE, null);
      const status = async () => (await w.t.cloud.db.query<{ status: string }>(`SELECT status FROM number_purchase_intents WHERE id = $1`, [intentId]))[0]?.status;
      await expect.poll(status, { timeout: 60_000, interval: 250 }).toBe('recorded');
      expect(await w.t.cloud.db.query(`SELECT status FROM phone_numbers WHERE number = $1`, [number])).toEqual([{ status: 'active' }]);
    } finally {
      await w.stop();
    }
  });
});
