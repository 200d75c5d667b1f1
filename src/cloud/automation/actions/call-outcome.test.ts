import { describe, expect, it } from 'vitest';
import { awaitingVerdict, callIsOver, callOutcome, type CallSignal } from './call-outcome';

const facts = { rang: 'Jordan Lee (+13105558101)', keypress: true, detectionOn: true, timeoutSeconds: 20, stopOnResponse: true };
const userDone: CallSignal = { kind: 'user_leg', status: 'completed', seconds: 30 };
const dial = (dialStatus: string, dialSeconds: number | null = 12): CallSignal => ({ kind: 'dial', dialStatus, dialCallSid: 'CA2', dialSeconds, bridged: dialStatus === 'completed' });

describe('the Call action’s outcome', () => {
  it('is over only when the first leg ends; waits for a verdict the contact’s pickup still owes', () => {
    expect(callIsOver([dial('completed')])).toBe(false);
    expect(callIsOver([dial('completed'), userDone])).toBe(true);
    expect(awaitingVerdict([dial('completed'), userDone], true)).toBe(true);
    expect(awaitingVerdict([dial('completed'), userDone], false)).toBe(false);
    expect(awaitingVerdict([dial('completed'), { kind: 'amd', answeredBy: 'human' }, userDone], true)).toBe(false);
  });

  it('says in plain words who did not answer, in any signal order', () => {
    expect(callOutcome([{ kind: 'user_leg', status: 'no-answer', seconds: 0 }], facts)).toMatchObject({
      callStatus: 'no-answer', stepStatus: 'completed', stopsWorkflow: false, reason: 'Rang Jordan Lee (+13105558101): no one answered within 20 s. The contact was not called.',
    });
    expect(callOutcome([userDone], facts).reason).toBe('Jordan Lee (+13105558101) answered but pressed no key after the whisper (played up to three times). The contact was not called.');
    expect(callOutcome([userDone, dial('no-answer', 0)], facts)).toMatchObject({ callStatus: 'no-answer', contactLeg: 'no_answer', reason: 'Connected Jordan Lee (+13105558101); the contact did not answer within 20 s.' });
    expect(callOutcome([{ kind: 'user_leg', status: 'failed', seconds: 0 }], facts).stepStatus).toBe('error');
  });

  it('follows the Stop on Response × Disable Voicemail Detect table', () => {
    const machine: CallSignal = { kind: 'amd', answeredBy: 'machine_end_beep' };
    const person: CallSignal = { kind: 'amd', answeredBy: 'human' };
    expect(callOutcome([userDone, machine, dial('completed')], facts)).toMatchObject({ contactLeg: 'voicemail', stopsWorkflow: false, contactSeconds: 12 });
    expect(callOutcome([person, dial('completed'), userDone], facts)).toMatchObject({ contactLeg: 'human', stopsWorkflow: true });
    expect(callOutcome([dial('completed'), userDone], { ...facts, detectionOn: false })).toMatchObject({ contactLeg: 'human', stopsWorkflow: true });
    expect(callOutcome([dial('completed'), userDone, person], { ...facts, stopOnResponse: false })).toMatchObject({ stopsWorkflow: false });
  });
});
