import type { PgBoss } from 'pg-boss';
import type { Queryable } from '../db';
import { write } from '../db/unit-of-work';
import type { NumbersDeps } from './deps';
import { intentOfName, RECONCILE_CLAIM_LAPSE } from './ownership';
import { strayAction, type PurchaseStatus, type StrayAction } from './reconcile-rules';
import { TwilioNumberError, type OwnedNumber } from './twilio-numbers';

/**
 * Reconciles the platform's Twilio account with the practices' numbers. Twilio may finish a
 * purchase whose answer was lost after the app settled it as not bought (the sweep found nothing
 * yet, or the look-up right after the buy did), and then bills for a number no practice sees.
 * Every run reads the account's numbers page by page, keeps those no row of any practice records
 * (by sid, or by number while not released), and for each decides by `reconcile-rules.ts`: one
 * tagged with a purchase settled as not bought is released at Twilio, the purchase marked given
 * back (landed_late_at) and audited in its practice, which sees it in Settings → Phone Numbers
 * (`listUnconfirmedPurchases`). Released rather than added: the admin was told it was not bought and
 * nothing was charged, and may have bought another number since; a number nobody agreed to pay for
 * is not started on a monthly fee. An admin who still wants it buys it again: that purchase adopts
 * it (ownership.ts), and the reconciliation waits while a purchase of the number is open. Anything
 * not provably bought here is never released, only logged.
 *
 * Bounded (`maxPages` pages of `pageSize` read, `maxGiveBacks` released a run; the rest next run),
 * and safe under two workers at once: the queue runs one job at a time (pg-boss `singleton`) and each
 * purchase is claimed (`reconcile_claimed_at`, conditional on it still being not bought, on no open
 * purchase of the number and no row recording it) before Twilio is asked, so a number is released once.
 */

const PAGE_SIZE = 1000;
/** 100 000 numbers a run: far beyond the platform's account; a larger one is reported, not silently cut. */
const MAX_PAGES = 100;
const MAX_GIVE_BACKS = 25;

export interface ReconcileResult {
  /** Numbers read from the account. */
  scanned: number;
  /** Whether the whole account was read (false: more than `maxPages` pages). */
  complete: boolean;
  /** Purchases whose late number was released at Twilio this run. */
  givenBack: string[];
  /** Ones to give back that were left for the next run (over `maxGiveBacks`), changed meanwhile, or that Twilio did not release. */
  notNow: string[];
  /** Sids of strays left alone, by why. */
  wait: string[];
  notOurs: string[];
  operator: string[];
}

interface Stray {
  owned: OwnedNumber;
  action: StrayAction;
  purchase: { id: string; accountId: string; phoneNumberId: string | null } | null;
}

/**
 * The strays a worker has told the operator of. Given to every run of one worker, it makes the
 * warning name only strays not told before: every quarter hour the same list at warn level was
 * noise an operator learns to skip (the rest are logged at debug). One that leaves the account and
 * comes back is told again.
 */
export interface StraysTold {
  sids: ReadonlySet<string>;
}

export async function reconcileTwilioNumbers(
  deps: NumbersDeps,
  options: { pageSize?: number; maxPages?: number; maxGiveBacks?: number; told?: StraysTold } = {},
): Promise<ReconcileResult> {
  const { db, log } = deps.ctx;
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const maxPages = options.maxPages ?? MAX_PAGES;
  const result: ReconcileResult = { scanned: 0, complete: false, givenBack: [], notNow: [], wait: [], notOurs: [], operator: [] };
  // Read the whole account first, release after: releasing while paging would shift Twilio's pages under the scan.
  const toGiveBack: Stray[] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const page = await deps.provider().accountPage(next, pageSize);
    pages += 1;
    result.scanned += page.numbers.length;
    for (const stray of await straysOf(db, page.numbers)) {
      if (stray.action === 'give_back') toGiveBack.push(stray);
      else result[stray.action === 'not_ours' ? 'notOurs' : stray.action].push(stray.owned.sid);
    }
    next = page.next;
  } while (next !== null && pages < maxPages);
  result.complete = next === null;

  const budget = options.maxGiveBacks ?? MAX_GIVE_BACKS;
  for (const [index, stray] of toGiveBack.entries()) {
    const purchase = stray.purchase!;
    if (index < budget && (await giveBack(deps, purchase, stray.owned))) result.givenBack.push(purchase.id);
    else result.notNow.push(purchase.id);
  }

  if (result.givenBack.length > 0) log.info({ givenBack: result.givenBack.length }, 'released numbers Twilio bought after their purchase was settled as not bought');
  // Never released from here: they may be someone's (bought by support, by hand, by another deployment on this account).
  const strays = [...result.notOurs, ...result.operator];
  const untold = (sid: string) => !options.told?.sids.has(sid);
  if (strays.some(untold)) {
    log.warn(
      { notOurs: result.notOurs.filter(untold), operator: result.operator.filter(untold), strays: strays.length },
      'the Twilio account holds numbers no practice records; left for the operator',
    );
  } else if (strays.length > 0) log.debug({ strays: strays.length }, 'the Twilio account still holds the numbers no practice records that were reported');
  // A whole read replaces what was told (a stray that left is told again if it comes back); a cut-short one only adds.
  if (options.told) options.told.sids = new Set(result.complete ? strays : [...options.told.sids, ...strays]);
  if (!result.complete) log.error({ scanned: result.scanned }, 'the Twilio account holds more numbers than a reconciliation run reads; the rest were not checked');
  return result;
}

/** The numbers of a page that no row records, each with what the rule makes of it. */
async function straysOf(q: Queryable, numbers: OwnedNumber[]): Promise<Stray[]> {
  if (numbers.length === 0) return [];
  const recorded = await q.query<{ twilio_sid: string | null; number: string; status: string }>(
    `SELECT twilio_sid, number, status FROM phone_numbers WHERE twilio_sid = ANY($1::text[]) OR (number = ANY($2::text[]) AND status <> 'released')`,
    [numbers.map((n) => n.sid), numbers.map((n) => n.phoneNumber)],
  );
  const sids = new Set(recorded.map((r) => r.twilio_sid));
  const live = new Set(recorded.filter((r) => r.status !== 'released').map((r) => r.number));
  const strays = numbers.filter((n) => !sids.has(n.sid) && !live.has(n.phoneNumber));
  if (strays.length === 0) return [];

  const tags = strays.map((n) => intentOfName(n.friendlyName)).filter((id): id is string => id !== null);
  const purchases = new Map(
    (
      await q.query<{ id: string; account_id: string; phone_number: string; phone_number_id: string | null; status: PurchaseStatus }>(
        `SELECT id, account_id, phone_number, phone_number_id, status FROM number_purchase_intents WHERE id = ANY($1::text[])`,
        [tags],
      )
    ).map((p) => [p.id, p]),
  );
  const open = new Set(
    (
      await q.query<{ phone_number: string }>(
        `SELECT DISTINCT phone_number FROM number_purchase_intents WHERE phone_number = ANY($1::text[]) AND status IN ('pending', 'unconfirmed')`,
        [strays.map((n) => n.phoneNumber)],
      )
    ).map((r) => r.phone_number),
  );
  return strays.map((owned) => {
    const tag = intentOfName(owned.friendlyName);
    const p = tag ? purchases.get(tag) : undefined;
    const action = strayAction({
      purchase: p ? { status: p.status, sameNumber: p.phone_number === owned.phoneNumber } : null,
      purchaseOfNumberOpen: open.has(owned.phoneNumber),
    });
    return { owned, action, purchase: p ? { id: p.id, accountId: p.account_id, phoneNumberId: p.phone_number_id } : null };
  });
}

/**
 * Releases a late number of a purchase settled as not bought, once: claimed first (still not
 * bought, no purchase of the number open, no row recording it), checked at Twilio by its sid (still
 * this number, still this purchase's tag), released, then the purchase is marked given back and
 * audited in its practice. False when it was not released now (claimed elsewhere, changed, or
 * Twilio did not release it: the claim is dropped and the next run tries again).
 */
async function giveBack(deps: NumbersDeps, purchase: NonNullable<Stray['purchase']>, owned: OwnedNumber): Promise<boolean> {
  const { db, log } = deps.ctx;
  const claimed = await db.query(
    `UPDATE number_purchase_intents i SET reconcile_claimed_at = now()
      WHERE i.id = $1 AND i.status = 'not_bought' AND i.phone_number = $2
        AND (i.reconcile_claimed_at IS NULL OR i.reconcile_claimed_at < now() - ${RECONCILE_CLAIM_LAPSE})
        AND NOT EXISTS (SELECT 1 FROM number_purchase_intents o WHERE o.phone_number = $2 AND o.status IN ('pending', 'unconfirmed'))
        AND NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.twilio_sid = $3 OR (p.number = $2 AND p.status <> 'released'))
      RETURNING i.id`,
    [purchase.id, owned.phoneNumber, owned.sid],
  );
  if (claimed.length === 0) return false;
  const unclaim = () => db.query(`UPDATE number_purchase_intents SET reconcile_claimed_at = NULL WHERE id = $1 AND status = 'not_bought'`, [purchase.id]);
  try {
    // The page may be minutes old: release only what Twilio holds now under this sid, as this purchase's.
    const now = await deps.provider().bySid(owned.sid);
    if (!now || now.phoneNumber !== owned.phoneNumber || intentOfName(now.friendlyName) !== purchase.id) {
      await unclaim();
      return false;
    }
    await deps.provider().release(owned.sid);
  } catch (error) {
    log.warn({ err: error, intentId: purchase.id, sid: owned.sid }, 'a number bought after its purchase was settled as not bought could not be released; tried again next run');
    await unclaim();
    return false;
  }
  await write(db, purchase.accountId, async (uow) => {
    await uow.q.query(
      `UPDATE number_purchase_intents SET status = 'released', twilio_sid = $2, resolved_at = now(), landed_late_at = now(), reconcile_claimed_at = NULL
        WHERE id = $1 AND status = 'not_bought'`,
      [purchase.id, owned.sid],
    );
    await uow.audit(null, 'phone_number.purchase_settled', 'phone_number', purchase.phoneNumberId, {
      phoneNumber: owned.phoneNumber, intentId: purchase.id, outcome: 'landed_late_given_back', twilioSid: owned.sid,
    });
  });
  return true;
}

/** pg-boss queue of the reconciliation; the automation engine's pg-boss runs it (`npm run cloud` and `npm run cloud:worker`). */
export const RECONCILE_QUEUE = 'numbers.reconcile-twilio';
/** Every 15 minutes: a late number is given back well within the month Twilio bills it for. */
export const RECONCILE_CRON = '*/15 * * * *';

/** Registers the reconciliation on the cloud's pg-boss: its queue (one job active at a time), worker and schedule. */
export async function scheduleTwilioReconcile(boss: PgBoss, deps: NumbersDeps): Promise<void> {
  // No retries: the next run is the retry. `singleton`: a run sent by hand never overlaps the cron's.
  await boss.createQueue(RECONCILE_QUEUE, { policy: 'singleton', retryLimit: 0, expireInSeconds: 900, deleteAfterSeconds: 86_400 });
  const told: StraysTold = { sids: new Set() };
  await boss.work(RECONCILE_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    try {
      await reconcileTwilioNumbers(deps, { told });
    } catch (error) {
      // No Twilio here (a sandbox-mode cloud without a sandbox): nothing to reconcile, every run; at debug only.
      if (error instanceof TwilioNumberError && error.kind === 'not-configured') deps.ctx.log.debug({ err: error }, 'no Twilio account to reconcile');
      else deps.ctx.log.warn({ err: error }, 'the Twilio account could not be read for reconciliation; tried again next run');
    }
  });
  await boss.schedule(RECONCILE_QUEUE, RECONCILE_CRON, null, { key: 'quarter-hourly' });
}
