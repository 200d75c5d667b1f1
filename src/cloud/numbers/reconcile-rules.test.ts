import { describe, expect, it } from 'vitest';
import { strayAction, type StrayAction, type StrayFacts } from './reconcile-rules';

const ours = (status: NonNullable<StrayFacts['purchase']>['status'], sameNumber = true) => ({ status, sameNumber });

describe('what the reconciliation does with a number at Twilio that no row records', () => {
  const table: Array<[string, StrayFacts, StrayAction]> = [
    ['untagged (bought outside the app, by support, by hand)', { purchase: null, purchaseOfNumberOpen: false }, 'not_ours'],
    ['untagged, even while a purchase of it is open', { purchase: null, purchaseOfNumberOpen: true }, 'not_ours'],
    ['tagged with a purchase made here for another number (a copied name)', { purchase: ours('not_bought', false), purchaseOfNumberOpen: false }, 'not_ours'],
    ['its purchase was settled not bought, and then it landed', { purchase: ours('not_bought'), purchaseOfNumberOpen: false }, 'give_back'],
    ['landed late, but the admin is buying it again right now', { purchase: ours('not_bought'), purchaseOfNumberOpen: true }, 'wait'],
    ['its purchase is still in flight', { purchase: ours('pending'), purchaseOfNumberOpen: true }, 'wait'],
    ['its purchase is unconfirmed (the sweep settles it)', { purchase: ours('unconfirmed'), purchaseOfNumberOpen: true }, 'wait'],
    ['its purchase was recorded, yet no row records the number', { purchase: ours('recorded'), purchaseOfNumberOpen: false }, 'operator'],
    ['its purchase gave it back already, yet Twilio still holds it', { purchase: ours('released'), purchaseOfNumberOpen: false }, 'operator'],
    ['its purchase was left for the operator', { purchase: ours('unrecorded'), purchaseOfNumberOpen: false }, 'operator'],
  ];
  it.each(table)('%s', (_what, facts, action) => expect(strayAction(facts)).toBe(action));
});
