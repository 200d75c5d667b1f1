import type { UnconfirmedPurchase } from '../../shared/cloud/numbers';
import type { Queryable } from '../db';
import { text, textOrNull } from '../db/columns';

const STATE: Record<string, UnconfirmedPurchase['state']> = {
  unconfirmed: 'checking',
  recorded: 'added',
  not_bought: 'not_bought',
  released: 'not_added',
  unrecorded: 'not_added',
};

/**
 * Settings → Phone Numbers: the practice's purchases Twilio did not confirm, newest first — the
 * ones still being checked (unconfirmed-job.ts settles them) and what became of those settled in
 * the last 7 days, however they were settled (the sweep, or the admin buying the number again) —
 * and the purchases whose number Twilio bought after all once they were settled as not bought,
 * given back by the reconciliation (reconcile-job.ts; `landedLate`). Purchases only: a restore
 * says its outcome on Deleted numbers.
 */
export async function listUnconfirmedPurchases(q: Queryable, accountId: string): Promise<UnconfirmedPurchase[]> {
  const rows = await q.query(
    `SELECT id, phone_number, created_at, status, resolved_at, landed_late_at FROM number_purchase_intents
      WHERE account_id = $1 AND phone_number_id IS NULL AND (unconfirmed_at IS NOT NULL OR landed_late_at IS NOT NULL)
        AND (status = 'unconfirmed' OR resolved_at > now() - interval '7 days')
      ORDER BY coalesce(unconfirmed_at, created_at) DESC, id
      LIMIT 50`,
    [accountId],
  );
  return rows.map((r) => {
    const state = STATE[text(r.status)] ?? 'not_added';
    return {
      id: text(r.id), phoneNumber: text(r.phone_number), requestedAt: text(r.created_at), state, settledAt: state === 'checking' ? null : textOrNull(r.resolved_at),
      ...(r.landed_late_at !== null ? { landedLate: true } : {}),
    };
  });
}
