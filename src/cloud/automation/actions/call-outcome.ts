import { contactLegOutcome, stopsWorkflow, type ContactLegOutcome } from './stop-on-response';

/**
 * What the Call action's webhooks report (one step_signals row each, wait key `workflow-call:<stepId>`):
 * - `dial`: the `<Dial>` to the contact finished (DialCallStatus, its CallSid and seconds);
 * - `amd`: the contact leg's answering-machine verdict (async AnsweredBy);
 * - `user_leg`: the first leg (the user or Company Phone) ended (CallStatus, CallDuration).
 */
export type CallSignal =
  | { kind: 'dial'; dialStatus: string; dialCallSid: string | null; dialSeconds: number | null; bridged: boolean }
  | { kind: 'amd'; answeredBy: string }
  | { kind: 'user_leg'; status: string; seconds: number | null };

export interface CallFacts {
  /** Who was rung: "Dana Reyes (+13105550111)" or "the Company Phone (+13105550000)". */
  rang: string;
  keypress: boolean;
  detectionOn: boolean;
  timeoutSeconds: number;
  stopOnResponse: boolean;
}

export interface CallOutcome {
  /** `calls.status` of the record in the contact's history. */
  callStatus: 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled';
  userAnswered: boolean;
  contactLeg: ContactLegOutcome;
  answeredBy: string | null;
  /** Seconds the contact was on the line (bridged talk time), when they answered. */
  contactSeconds: number | null;
  contactCallSid: string | null;
  stepStatus: 'completed' | 'error';
  /** Stop on Response × Disable Voicemail Detect (the seed's table): the workflow ends here. */
  stopsWorkflow: boolean;
  reason: string;
}

const FINAL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** The first leg has ended (its final status came): the call is over and its outcome can be told. */
export function callIsOver(signals: CallSignal[]): boolean {
  return signals.some((s) => s.kind === 'user_leg' && FINAL_STATUSES.has(s.status));
}

/** The contact answered but its AMD verdict has not arrived yet (it may come after the hang-up). */
export function awaitingVerdict(signals: CallSignal[], detectionOn: boolean): boolean {
  const dial = signals.find((s) => s.kind === 'dial');
  return detectionOn && dial?.kind === 'dial' && dial.dialStatus === 'completed' && !signals.some((s) => s.kind === 'amd');
}

/** The call's outcome in plain words, from every signal of the step (in any order). */
export function callOutcome(signals: CallSignal[], facts: CallFacts): CallOutcome {
  const user = signals.find((s): s is Extract<CallSignal, { kind: 'user_leg' }> => s.kind === 'user_leg' && FINAL_STATUSES.has(s.status));
  const dial = signals.find((s): s is Extract<CallSignal, { kind: 'dial' }> => s.kind === 'dial');
  const amd = signals.find((s): s is Extract<CallSignal, { kind: 'amd' }> => s.kind === 'amd');
  const userStatus = user?.status ?? 'completed';
  const userAnswered = userStatus === 'completed';
  const contactAnswered = dial?.dialStatus === 'completed';
  const answeredBy = contactAnswered ? (amd?.answeredBy ?? null) : null;
  const contactLeg = contactLegOutcome(contactAnswered, answeredBy, facts.detectionOn);
  const stops = stopsWorkflow({ stopOnResponse: facts.stopOnResponse, disableVoicemailDetect: !facts.detectionOn, contactLeg });
  const base = {
    userAnswered, contactLeg, answeredBy, contactCallSid: dial?.dialCallSid ?? null, stopsWorkflow: stops,
    contactSeconds: contactAnswered ? (dial?.dialSeconds ?? null) : null,
  };
  const stopNote = stops ? ' Stop on Response: the contact answered, so the workflow stops here.' : '';

  if (!userAnswered) {
    const why = { busy: 'the line was busy', 'no-answer': `no one answered within ${facts.timeoutSeconds} s`, failed: 'Twilio could not place the call', canceled: 'the call was cancelled' }[userStatus] ?? userStatus;
    return {
      ...base, callStatus: userStatus as CallOutcome['callStatus'], stepStatus: userStatus === 'failed' ? 'error' : 'completed',
      reason: `Rang ${facts.rang}: ${why}. The contact was not called.`,
    };
  }
  if (!dial) {
    return {
      ...base, callStatus: 'canceled', stepStatus: 'completed',
      reason: facts.keypress
        ? `${facts.rang} answered but pressed no key after the whisper (played up to three times). The contact was not called.`
        : `${facts.rang} answered and hung up before the contact was dialled. The contact was not called.`,
    };
  }
  if (!contactAnswered) {
    const why = { busy: 'the contact’s line was busy', 'no-answer': `the contact did not answer within ${facts.timeoutSeconds} s`, failed: 'the contact’s number could not be reached', canceled: `${facts.rang} hung up while the contact’s phone was ringing` }[dial.dialStatus] ?? dial.dialStatus;
    return { ...base, callStatus: (FINAL_STATUSES.has(dial.dialStatus) ? dial.dialStatus : 'failed') as CallOutcome['callStatus'], stepStatus: 'completed', reason: `Connected ${facts.rang}; ${why}.` };
  }
  const talk = dial.dialSeconds !== null ? ` for ${dial.dialSeconds} s` : '';
  if (contactLeg === 'voicemail') {
    return { ...base, callStatus: 'completed', stepStatus: 'completed', reason: `Connected ${facts.rang}; the contact’s voicemail answered (${answeredBy}) and was on the line${talk}.${stopNote}` };
  }
  const verdict = !facts.detectionOn ? ' (voicemail detection off: a person or a voicemail)' : answeredBy ? '' : ' (no voicemail verdict came: counted as a person)';
  return { ...base, callStatus: 'completed', stepStatus: 'completed', reason: `Connected ${facts.rang} with the contact${verdict}; they talked${talk}.${stopNote}` };
}
