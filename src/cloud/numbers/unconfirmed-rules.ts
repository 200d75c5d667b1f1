/**
 * What the sweep does with an unconfirmed purchase once Twilio has answered its look-up: the rule,
 * pure (the job gathers the facts and carries the answer out; table tests beside it). The proof
 * that a number at Twilio is this purchase's is the one a retry uses (ownership.ts): it carries the
 * purchase's tag in its FriendlyName and no other row records it.
 */
export interface UnconfirmedFacts {
  /** What Twilio holds under the number: null when nothing. */
  atTwilio: { taggedWithThisPurchase: boolean } | null;
  /** Whose row records the number Twilio holds (its sid, or the number while not released): the practice's own, another's, or none. */
  recordedBy: 'this-practice' | 'another-practice' | null;
  /** A restore's purchase: the state of the row it was for; null for a purchase of a new number. */
  restoreOf: 'held' | 'busy' | 'other' | null;
}

export type UnconfirmedAction =
  /** Twilio does not have it from this purchase (not at all, or someone else's): nothing was bought. */
  | 'not_bought'
  /** Already on the practice's list (a retry adopted it): the purchase is recorded. */
  | 'recorded'
  /** This purchase bought it and nothing records it: added to the practice (keepBought), as a retry would. */
  | 'adopt'
  /** A restore bought it back: the held row records the number again (the admin's Restore then finds it held). */
  | 'hold'
  /** Bought for a restore whose row is no longer held (released meanwhile): no one would pay for it, so it is given back. */
  | 'give_back'
  /** Bought by this purchase yet recorded on another practice's row: never touched, left for the operator. */
  | 'unrecorded'
  /** The restore's row is mid-operation (the admin is restoring it now): asked again next run. */
  | 'wait';

export function unconfirmedAction(facts: UnconfirmedFacts): UnconfirmedAction {
  if (!facts.atTwilio) return 'not_bought';
  if (facts.recordedBy === 'this-practice') return 'recorded';
  if (!facts.atTwilio.taggedWithThisPurchase) return 'not_bought';
  if (facts.recordedBy === 'another-practice') return 'unrecorded';
  switch (facts.restoreOf) {
    case null:
      return 'adopt';
    case 'held':
      return 'hold';
    case 'busy':
      return 'wait';
    case 'other':
      return 'give_back';
  }
}
