import { describe, expect, it } from 'vitest';
import { contactLegOutcome, stopsWorkflow, type ContactLegOutcome } from './stop-on-response';

/** The seed's table (Stop On Response | Disable Voicemail Detect | Result), row by row, for each way the contact's leg can end. */
describe('Call: Stop on Response × Disable Voicemail Detect', () => {
  const rows: [stopOnResponse: boolean, disableVoicemailDetect: boolean, contactLeg: ContactLegOutcome, stops: boolean, why: string][] = [
    [true, true, 'voicemail', true, 'ON/ON: the workflow stops if the contact’s voicemail answers'],
    [true, true, 'human', true, 'ON/ON: the contact answering is a response'],
    [true, true, 'no_answer', false, 'ON/ON: no pickup, no response'],
    [true, false, 'voicemail', false, 'ON/OFF: voicemail is detected, so it does not trigger Stop on Response'],
    [true, false, 'human', true, 'ON/OFF: a person answering is a response'],
    [true, false, 'no_answer', false, 'ON/OFF: no pickup, no response'],
    [false, false, 'voicemail', false, 'OFF/OFF: continues regardless'],
    [false, false, 'human', false, 'OFF/OFF: continues regardless'],
    [false, true, 'voicemail', false, 'OFF/ON: continues regardless'],
    [false, true, 'human', false, 'OFF/ON: continues regardless'],
  ];
  it.each(rows)('stopOnResponse=%s disableVoicemailDetect=%s contact=%s → stops=%s (%s)', (stopOnResponse, disableVoicemailDetect, contactLeg, stops) => {
    expect(stopsWorkflow({ stopOnResponse, disableVoicemailDetect, contactLeg })).toBe(stops);
  });

  it.each([
    [false, 'human', true, 'no_answer'],
    [true, 'human', true, 'human'],
    [true, 'machine_end_beep', true, 'voicemail'],
    [true, 'machine_start', true, 'voicemail'],
    [true, 'fax', true, 'voicemail'],
    [true, 'unknown', true, 'human'],
    [true, undefined, false, 'human'],
  ] as const)('answered=%s AnsweredBy=%s detection=%s → %s', (answered, answeredBy, detectionOn, outcome) => {
    expect(contactLegOutcome(answered, answeredBy, detectionOn)).toBe(outcome);
  });
});
