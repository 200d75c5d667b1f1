/**
 * The Call action's Stop on Response × Disable Voicemail Detect matrix, exactly as the seed's
 * table states it. Only the CONTACT's side matters (whether the assigned user answered is
 * irrelevant). With detection on, a voicemail pickup is recognised as a machine and is not a
 * response; with detection off, nothing can tell a voicemail from a person, so any pickup of the
 * contact's leg counts as a response (which is why the seed advises a timeout under 20 seconds).
 */
export type ContactLegOutcome = 'no_answer' | 'human' | 'voicemail';

export function stopsWorkflow(input: { stopOnResponse: boolean; disableVoicemailDetect: boolean; contactLeg: ContactLegOutcome }): boolean {
  if (!input.stopOnResponse) return false; // OFF/OFF and OFF/ON: the workflow continues regardless
  if (input.contactLeg === 'no_answer') return false;
  if (input.contactLeg === 'human') return true;
  // A voicemail answered: a response only when detection was off (ON/ON), not when it was detected (ON/OFF).
  return input.disableVoicemailDetect;
}

/** With detection off Twilio reports no AnsweredBy: an answered contact leg is indistinguishable from voicemail. */
export function contactLegOutcome(answered: boolean, answeredBy: string | null | undefined, detectionOn: boolean): ContactLegOutcome {
  if (!answered) return 'no_answer';
  if (!detectionOn) return 'human';
  return answeredBy && answeredBy.startsWith('machine') ? 'voicemail' : answeredBy === 'fax' ? 'voicemail' : 'human';
}
