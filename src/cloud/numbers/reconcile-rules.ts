/**
 * What the reconciliation does with a number the platform's Twilio account holds that no row of
 * any practice records: the rule, pure (reconcile-job.ts gathers the facts and carries it out;
 * table tests beside it). Only a number provably bought by this app for a purchase it settled as
 * not bought is ever released: its FriendlyName carries that purchase's tag (ownership.ts), for the
 * same number. Anything else — untagged, a tag this cloud never wrote, a purchase that kept or
 * already gave back its number — may be someone's and is only reported.
 */
export type PurchaseStatus = 'pending' | 'recorded' | 'not_bought' | 'unconfirmed' | 'released' | 'unrecorded';

export interface StrayFacts {
  /** The purchase the number's tag names, as this cloud wrote it down; null: no tag, or a tag of no purchase here. */
  purchase: { status: PurchaseStatus; sameNumber: boolean } | null;
  /** Some purchase of the number is in flight or being settled (pending, or unconfirmed: the sweep's). */
  purchaseOfNumberOpen: boolean;
}

export type StrayAction =
  /** Bought by this app for a purchase the admin was told was not bought: nobody agreed to pay for it, so it is released at Twilio. */
  | 'give_back'
  /** A purchase of the number is still open: what settles it (the buy, a retry, the sweep) decides; looked at again next run. */
  | 'wait'
  /** Not provably bought here: never released automatically, reported for the operator. */
  | 'not_ours'
  /** Bought here by a purchase that was recorded, given back or left for the operator, yet no row records it: reported for the operator. */
  | 'operator';

export function strayAction(facts: StrayFacts): StrayAction {
  const { purchase } = facts;
  if (!purchase || !purchase.sameNumber) return 'not_ours';
  if (facts.purchaseOfNumberOpen) return 'wait';
  switch (purchase.status) {
    case 'pending':
    case 'unconfirmed':
      return 'wait';
    case 'not_bought':
      return 'give_back';
    case 'recorded':
    case 'released':
    case 'unrecorded':
      return 'operator';
  }
}
