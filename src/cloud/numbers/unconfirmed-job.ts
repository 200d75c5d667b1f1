import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { PgBoss } from 'pg-boss';
import type { Queryable } from '../db';
import { write } from '../db/unit-of-work';
import { keepBought, verifiedAgain } from './bought';
import type { NumbersDeps } from './deps';
import { giveBackUnrecorded, intentOfName, markStalePending, renameAfterPurchase, settleUnconfirmed } from './ownership';
import type { OwnedNumber } from './twilio-numbers';
import { unconfirmedAction, type UnconfirmedAction, type UnconfirmedFacts } from './unconfirmed-rules';

/**
 * Settles purchases Twilio never confirmed (ownership.ts: neither the buy nor the look-up after it
 * was answered, or the process died while Twilio was asked). Once a short grace period has passed
 * (a purchase Twilio is still working through lands meanwhile), each is looked up at Twilio again:
 * a number carrying the purchase's tag is adopted exactly as a retry adopts it (keepBought: on the
 * practice's list, billed), and one Twilio does not have from this purchase is settled as not
 * bought. What the rule decides is `unconfirmed-rules.ts`; the admin sees the outcome in Settings →
 * Phone Numbers (`listUnconfirmedPurchases`).
 *
 * Bounded (`batch` a run) and safe to run anywhere and often: each purchase is claimed (its
 * `checked_at`) before Twilio is asked, so two workers never check the same one; every settlement
 * is conditional on the purchase still being unconfirmed and adoption takes its row lock first, so
 * a run racing an admin's retry (or another run) adds the number once. A look-up Twilio does not
 * answer leaves the purchase unconfirmed, asked again RECHECK later.
 */

/** Twilio answers a purchase within seconds: by then one still in progress at Twilio has landed. */
export const GRACE = `interval '2 minutes'`;
/** A purchase checked (or claimed by a worker that died) is asked about again after this. */
export const RECHECK = `interval '5 minutes'`;

type Claimed = {
  id: string;
  account_id: string;
  phone_number: string;
  phone_number_id: string | null;
  location_id: string | null;
  requested_by: string | null;
};

export type SweepOutcome = Exclude<UnconfirmedAction, 'adopt'> | 'added' | 'not_added' | 'unanswered';

export async function sweepUnconfirmedPurchases(deps: NumbersDeps, options: { batch?: number } = {}): Promise<Record<SweepOutcome, string[]>> {
  const { db, log } = deps.ctx;
  await markStalePending(db, null);
  const claimed = await db.query<Claimed>(
    `UPDATE number_purchase_intents SET checked_at = now()
      WHERE status = 'unconfirmed' AND id IN (
        SELECT id FROM number_purchase_intents
         WHERE status = 'unconfirmed' AND unconfirmed_at <= now() - ${GRACE} AND (checked_at IS NULL OR checked_at <= now() - ${RECHECK})
         ORDER BY checked_at NULLS FIRST, unconfirmed_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
      RETURNING id, account_id, phone_number, phone_number_id, location_id, requested_by`,
    [options.batch ?? 25],
  );
  const result: Record<SweepOutcome, string[]> = {
    added: [], recorded: [], not_bought: [], hold: [], give_back: [], unrecorded: [], wait: [], not_added: [], unanswered: [],
  };
  for (const intent of claimed) {
    let found: OwnedNumber | null;
    try {
      found = await deps.provider().byNumber(intent.phone_number);
    } catch (error) {
      log.warn({ err: error, intentId: intent.id }, 'Twilio did not answer the look-up of an unconfirmed purchase; asked again in a few minutes');
      result.unanswered.push(intent.id);
      continue;
    }
    result[await settle(deps, intent, found)].push(intent.id);
  }
  const settled = claimed.length - result.unanswered.length - result.wait.length;
  if (settled > 0) log.info({ added: result.added.length, notBought: result.not_bought.length, settled }, 'settled purchases Twilio had not confirmed');
  return result;
}

async function settle(deps: NumbersDeps, intent: Claimed, found: OwnedNumber | null): Promise<SweepOutcome> {
  const { db, log } = deps.ctx;
  const action = unconfirmedAction(await factsOf(db, intent, found));
  const audit = (outcome: string, sid: string | null) =>
    write(db, intent.account_id, (uow) =>
      uow.audit(null, 'phone_number.purchase_settled', 'phone_number', null, { phoneNumber: intent.phone_number, intentId: intent.id, outcome, twilioSid: sid }),
    );
  switch (action) {
    case 'not_bought':
      if (await settleUnconfirmed(db, intent.id, 'not_bought', null)) await audit('not_bought', null);
      return 'not_bought';
    case 'recorded':
      await settleUnconfirmed(db, intent.id, 'recorded', found!.sid);
      return 'recorded';
    case 'unrecorded':
      log.error({ intentId: intent.id, phoneNumber: intent.phone_number, sid: found!.sid }, "an unconfirmed purchase's number is recorded by another practice's row: left at Twilio for the operator");
      if (await settleUnconfirmed(db, intent.id, 'unrecorded', found!.sid)) await audit('unrecorded', found!.sid);
      return 'unrecorded';
    case 'wait':
      return 'wait';
    case 'hold':
      return (await holdForRestore(deps, intent, found!)) ? 'hold' : 'wait';
    case 'give_back':
      await giveBack(deps, intent, found!);
      return 'give_back';
    case 'adopt': {
      const verified = await verifiedAgain(db, intent.account_id, intent.phone_number, intent.location_id);
      if (!verified) {
        await giveBack(deps, intent, found!);
        return 'not_added';
      }
      const name = parsePhoneNumberFromString(intent.phone_number)?.formatNational() ?? intent.phone_number;
      const kept = await keepBought(deps, { accountId: intent.account_id, actorUserId: null }, verified, { owned: found!, intentId: intent.id, name }, {
        confirmedAfterNoAnswer: true, intentId: intent.id, requestedBy: intent.requested_by,
      });
      return kept.kind === 'added' ? 'added' : kept.kind === 'recorded-meanwhile' ? 'recorded' : 'not_added';
    }
  }
}

/** The facts the rule needs, read now (after Twilio answered). */
async function factsOf(q: Queryable, intent: Claimed, found: OwnedNumber | null): Promise<UnconfirmedFacts> {
  if (!found) return { atTwilio: null, recordedBy: null, restoreOf: null };
  // Rows recording the number Twilio holds: by its sid (any row), or by the number while not released (other than the restore's own row).
  const rows = await q.query<{ account_id: string }>(
    `SELECT account_id FROM phone_numbers WHERE twilio_sid = $2 OR (number = $1 AND status <> 'released' AND id IS DISTINCT FROM $3)`,
    [found.phoneNumber, found.sid, intent.phone_number_id],
  );
  const recordedBy = rows.some((r) => r.account_id === intent.account_id) ? 'this-practice' : rows.length > 0 ? 'another-practice' : null;
  let restoreOf: UnconfirmedFacts['restoreOf'] = null;
  if (intent.phone_number_id) {
    const row = (await q.query<{ status: string; busy: boolean }>(
      `SELECT status, (operation IS NOT NULL AND operation_at >= now() - interval '5 minutes') AS busy FROM phone_numbers WHERE id = $1 AND account_id = $2`,
      [intent.phone_number_id, intent.account_id],
    ))[0];
    restoreOf = row?.busy ? 'busy' : row?.status === 'held' ? 'held' : 'other';
  }
  return { atTwilio: { taggedWithThisPurchase: intentOfName(found.friendlyName) === intent.id }, recordedBy, restoreOf };
}

/**
 * A restore bought the number back but never heard so: its held row records it again (not billed,
 * still held), so the admin's Restore finds it held, and the release job gives it back at day 10.
 * False when the row was claimed or changed meanwhile (asked again next run).
 */
async function holdForRestore(deps: NumbersDeps, intent: Claimed, found: OwnedNumber): Promise<boolean> {
  const held = await write(deps.ctx.db, intent.account_id, async (uow) => {
    const rows = await uow.q.query<{ name: string }>(
      `UPDATE phone_numbers SET twilio_sid = $2, capabilities = $3::jsonb
        WHERE id = $1 AND account_id = $4 AND status = 'held' AND number = $5 AND (operation IS NULL OR operation_at < now() - interval '5 minutes')
        RETURNING name`,
      [intent.phone_number_id, found.sid, JSON.stringify(found.capabilities), intent.account_id, intent.phone_number],
    );
    if (!rows[0] || !(await settleUnconfirmed(uow.q, intent.id, 'recorded', found.sid))) throw new NotNow();
    uow.touch('phoneNumbers', intent.phone_number_id!);
    await uow.audit(null, 'phone_number.purchase_settled', 'phone_number', intent.phone_number_id, { phoneNumber: intent.phone_number, intentId: intent.id, outcome: 'held_again', twilioSid: found.sid });
    return rows[0].name;
  }).catch((error: unknown) => {
    if (error instanceof NotNow) return null;
    throw error;
  });
  if (held === null) return false;
  await renameAfterPurchase(deps, found, held);
  return true;
}

class NotNow extends Error {}

/** Bought, but for no one who would pay for it now: given back to Twilio (or, when a row records it, left for the operator). */
async function giveBack(deps: NumbersDeps, intent: Claimed, found: OwnedNumber): Promise<void> {
  const outcome = await giveBackUnrecorded(deps, intent.id, found, intent.phone_number_id);
  await write(deps.ctx.db, intent.account_id, (uow) =>
    uow.audit(null, 'phone_number.purchase_settled', 'phone_number', null, { phoneNumber: intent.phone_number, intentId: intent.id, outcome: `given_back_${outcome}`, twilioSid: found.sid }),
  );
}

/** pg-boss queue of the sweep; the automation engine's pg-boss runs it (`npm run cloud` and `npm run cloud:worker`). */
export const UNCONFIRMED_QUEUE = 'numbers.settle-unconfirmed';
/** Every minute: an unconfirmed purchase is settled a few minutes after it got no answer. */
export const UNCONFIRMED_CRON = '* * * * *';

/** Registers the sweep on the cloud's pg-boss: its queue, worker and schedule (a cron runs once across every process sharing the database). */
export async function scheduleUnconfirmedSweep(boss: PgBoss, deps: NumbersDeps): Promise<void> {
  // No retries: the next minute's run is the retry; a run longer than the interval expires rather than piling up.
  await boss.createQueue(UNCONFIRMED_QUEUE, { retryLimit: 0, expireInSeconds: 300, deleteAfterSeconds: 3_600 });
  await boss.work(UNCONFIRMED_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    const { unanswered } = await sweepUnconfirmedPurchases(deps);
    if (unanswered.length > 0) deps.ctx.log.warn({ unanswered: unanswered.length }, 'some unconfirmed purchases could not be looked up at Twilio this run');
  });
  await boss.schedule(UNCONFIRMED_QUEUE, UNCONFIRMED_CRON, null, { key: 'minutely' });
}
