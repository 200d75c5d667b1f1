import { describe, expect, it } from 'vitest';
import { unconfirmedAction, type UnconfirmedAction, type UnconfirmedFacts } from './unconfirmed-rules';

const tagged = { taggedWithThisPurchase: true };
const untagged = { taggedWithThisPurchase: false };

describe('what the sweep does with an unconfirmed purchase', () => {
  const table: Array<[string, UnconfirmedFacts, UnconfirmedAction]> = [
    ['Twilio has nothing under the number', { atTwilio: null, recordedBy: null, restoreOf: null }, 'not_bought'],
    ['nothing at Twilio, even for a restore', { atTwilio: null, recordedBy: null, restoreOf: 'held' }, 'not_bought'],
    ['bought by this purchase, recorded by no one', { atTwilio: tagged, recordedBy: null, restoreOf: null }, 'adopt'],
    ['already on the practice’s list (a retry adopted it)', { atTwilio: tagged, recordedBy: 'this-practice', restoreOf: null }, 'recorded'],
    ['on the list, renamed (its tag gone) by the retry that adopted it', { atTwilio: untagged, recordedBy: 'this-practice', restoreOf: null }, 'recorded'],
    ['someone else’s number (untagged), recorded by no row', { atTwilio: untagged, recordedBy: null, restoreOf: null }, 'not_bought'],
    ['another practice’s number', { atTwilio: untagged, recordedBy: 'another-practice', restoreOf: null }, 'not_bought'],
    ['tagged with this purchase but another practice’s row records it', { atTwilio: tagged, recordedBy: 'another-practice', restoreOf: null }, 'unrecorded'],
    ['a restore bought it back and the row is still held', { atTwilio: tagged, recordedBy: null, restoreOf: 'held' }, 'hold'],
    ['a restore bought it back while the admin is restoring it again', { atTwilio: tagged, recordedBy: null, restoreOf: 'busy' }, 'wait'],
    ['a restore bought it back but the row was released meanwhile', { atTwilio: tagged, recordedBy: null, restoreOf: 'other' }, 'give_back'],
    ['a restore whose number someone else bought', { atTwilio: untagged, recordedBy: null, restoreOf: 'held' }, 'not_bought'],
  ];
  it.each(table)('%s', (_what, facts, action) => expect(unconfirmedAction(facts)).toBe(action));
});
