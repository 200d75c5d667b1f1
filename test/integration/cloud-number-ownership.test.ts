import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { deleteNumber, restoreNumber } from '../../src/cloud/numbers/lifecycle';
import { purchaseNumbers } from '../../src/cloud/numbers/purchase';
import { releaseDueNumbers } from '../../src/cloud/numbers/release-job';
import type { NumberProvider } from '../../src/cloud/numbers/twilio-numbers';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import type { PurchaseOutcome } from '../../src/shared/cloud/numbers';
import { backends, stopTestPostgres } from '../support/cloud-harness';
import {
  ageDeletion, buyAs as buyIn, forSale as forSaleIn, heldAtTwilio, noAnswer, numbersAdmin as admin, otherPracticeNumber, startNumbersWorld, withTwilio as withTwilioIn, type NumbersWorld,
} from '../support/numbers-harness';

afterAll(stopTestPostgres);

/**
 * All practices share one platform Twilio account, so a number found there by its digits may be
 * any practice's. A purchase that gets no answer, a restore and a release act only on a number
 * provably theirs (its row's sid, or the purchase's own tagged intent): never on another practice's.
 */
describe.each(backends)('whose number it is, under one shared Twilio account, on %s', (backend) => {
  let w: NumbersWorld;
  beforeAll(async () => {
    w = await startNumbersWorld(backend);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const withTwilio = (override: Partial<NumberProvider>) => withTwilioIn(w, override);
  const buyAs = (provider: Partial<NumberProvider>, phoneNumber: string): Promise<PurchaseOutcome> => buyIn(w, provider, phoneNumber);
  const rowsOf = (phoneNumber: string) =>
    w.t.cloud.db.query<{ account_id: string; status: string; twilio_sid: string | null }>(`SELECT account_id, status, twilio_sid FROM phone_numbers WHERE number = $1 ORDER BY created_at`, [phoneNumber]);
  const intentsOf = async (phoneNumber: string) =>
    (await w.t.cloud.db.query<{ status: string }>(`SELECT status FROM number_purchase_intents WHERE phone_number = $1 ORDER BY created_at`, [phoneNumber])).map((r) => r.status);
  const forSale = (areaCode: string): Promise<string> => forSaleIn(w, areaCode);

  it("a purchase that gets no answer never adopts, nor releases, another practice's number (live or held)", async () => {
    const live = await otherPracticeNumber(w, '+14155550999');
    const held = await otherPracticeNumber(w, '+14155550998', 'held');
    for (const theirs of [live, held]) {
      const outcome = await buyAs({ buy: async () => Promise.reject(noAnswer()) }, theirs.number);
      expect(outcome).toMatchObject({ status: 'taken', message: expect.stringMatching(/someone else/i) });
      // Still theirs at Twilio and here.
      expect(await heldAtTwilio(w, theirs.number)).toMatchObject({ sid: theirs.sid });
      expect(await rowsOf(theirs.number)).toEqual([{ account_id: theirs.accountId, status: theirs === live ? 'active' : 'held', twilio_sid: theirs.sid }]);
    }
    // Even when no row records it (bought at Twilio for someone by support, not recorded yet): not this purchase's, so not adopted.
    const unrecorded = w.sandbox.control.addNumber({ phoneNumber: '+14155550997', friendlyName: 'Bought by support' });
    const outcome = await buyAs({ buy: async () => Promise.reject(noAnswer()) }, unrecorded.phoneNumber);
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringMatching(/could not be reached; this number was not bought/) });
    expect(await heldAtTwilio(w, unrecorded.phoneNumber)).toMatchObject({ sid: unrecorded.sid, friendlyName: 'Bought by support' });
    expect(await rowsOf(unrecorded.phoneNumber)).toEqual([]);
    expect(await intentsOf(unrecorded.phoneNumber)).toEqual(['not_bought']);
  });

  it('a purchase of its own that got no answer is adopted: the number carries its purchase tag, then its name', async () => {
    const number = await forSale('720');
    const real = w.deps.provider();
    // Twilio bought it, but the answer never came back.
    const outcome = await buyAs({ buy: async (n, config) => { await real.buy(n, config); throw noAnswer(); } }, number);
    expect(outcome).toMatchObject({ status: 'bought', number: { number } });
    const atTwilio = await heldAtTwilio(w, number);
    expect(await rowsOf(number)).toEqual([{ account_id: DEMO_ACCOUNT_ID, status: 'active', twilio_sid: atTwilio!.sid }]);
    expect(atTwilio!.friendlyName).toBe(outcome.status === 'bought' ? outcome.number.name : '');
    expect(await intentsOf(number)).toEqual(['recorded']);

    // No answer and no way to look: unconfirmed. The next try hears "not available" — the number is the practice's from that try — and adopts it.
    const again = await forSale('720');
    const lost = await buyAs({ buy: async (n, config) => { await real.buy(n, config); throw noAnswer(); }, byNumber: async () => Promise.reject(noAnswer()) }, again);
    expect(lost).toMatchObject({ status: 'failed' });
    expect(await intentsOf(again)).toEqual(['unconfirmed']);
    expect(await buyAs({}, again)).toMatchObject({ status: 'bought', number: { number: again } });
    expect(await rowsOf(again)).toEqual([{ account_id: DEMO_ACCOUNT_ID, status: 'active', twilio_sid: (await heldAtTwilio(w, again))!.sid }]);
  });

  it('a double submit inside one practice: one purchase, and the late one neither adopts nor releases the practice’s new line', async () => {
    const number = await forSale('917');
    const real = w.deps.provider();
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const slow = withTwilio({ buy: async (n, config) => { await held; return real.buy(n, config); } });
    const first = purchaseNumbers(slow, admin, { country: 'US', numberType: 'local', phoneNumbers: [number], locationId: null });
    // The second submit while the first is still at Twilio: told so, Twilio never asked.
    await expect.poll(async () => intentsOf(number)).toEqual(['pending']);
    const second = await buyAs({ buy: async () => Promise.reject(new Error('must not be asked')) }, number);
    expect(second).toMatchObject({ status: 'taken', message: expect.stringMatching(/being bought right now/) });
    letGo();
    expect((await first).results[0]).toMatchObject({ status: 'bought' });
    const sid = (await heldAtTwilio(w, number))!.sid;

    // A late retry that gets no answer: the practice's line stays at Twilio and on its row.
    const late = await buyAs({ buy: async () => Promise.reject(noAnswer()) }, number);
    expect(late).toMatchObject({ status: 'taken', message: 'This number is already one of the practice’s numbers.' });
    expect(await heldAtTwilio(w, number)).toMatchObject({ sid });
    expect(await rowsOf(number)).toEqual([{ account_id: DEMO_ACCOUNT_ID, status: 'active', twilio_sid: sid }]);
  });

  it('a held number whose sid no longer resolves: a restore and the release job leave the number another practice holds now alone', async () => {
    /** Bought, deleted with NO; then its hold is lost at Twilio (a crash after releasing it, or released outside the app) and another practice buys it. */
    const lostToAnotherPractice = async (areaCode: string) => {
      const [bought] = (await purchaseNumbers(w.deps, admin, { country: 'US', numberType: 'local', phoneNumbers: [await forSale(areaCode)], locationId: null })).results;
      if (bought?.status !== 'bought') throw new Error(JSON.stringify(bought));
      await deleteNumber(w.deps, admin, bought.number.id, { confirmation: 'Delete', release: false });
      await w.twilio.incomingPhoneNumbers((await heldAtTwilio(w, bought.number.number))!.sid).remove();
      return { id: bought.number.id, theirs: await otherPracticeNumber(w, bought.number.number) };
    };

    const restored = await lostToAnotherPractice('512');
    await expect(restoreNumber(w.deps, admin, restored.id)).rejects.toMatchObject({ code: 'NUMBER_CLAIMED' });
    expect(await heldAtTwilio(w, restored.theirs.number)).toMatchObject({ sid: restored.theirs.sid });
    expect(await rowsOf(restored.theirs.number)).toEqual([
      { account_id: DEMO_ACCOUNT_ID, status: 'released', twilio_sid: expect.any(String) },
      { account_id: restored.theirs.accountId, status: 'active', twilio_sid: restored.theirs.sid },
    ]);

    const due = await lostToAnotherPractice('512');
    await ageDeletion(w, due.id, 11);
    expect((await releaseDueNumbers(w.deps)).released).toContain(due.id);
    expect(await heldAtTwilio(w, due.theirs.number)).toMatchObject({ sid: due.theirs.sid });
  });

  it('numbers from before sids were recorded (the demo numbers) are still released by their number when nothing else could own them', async () => {
    const demo = DEMO_NUMBERS.jordanDirect;
    expect((await w.t.cloud.db.query(`SELECT twilio_sid FROM phone_numbers WHERE id = $1`, [demo.id]))[0]).toEqual({ twilio_sid: null });
    expect(await heldAtTwilio(w, demo.number)).not.toBeNull();
    await deleteNumber(w.deps, admin, demo.id, { confirmation: 'Delete', release: true, releaseConfirmation: 'Release' });
    expect(await heldAtTwilio(w, demo.number)).toBeNull();
  });
});
