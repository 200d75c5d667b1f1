import type { Contact } from '../../../shared/cloud';
import type { IpcResult } from '../../../shared/ipc';
import type { WrapUpStateView } from '../../../shared/ipc/views';
import { getBridge } from '../../bridge';
import { VoiceError, type CallState } from '../../voice';
import { callAction, cloudCallId, phoneEngine } from './phone-runtime';
import { usePhone } from './phone-store';

/**
 * What the phone screens dispatch. Call commands go to the VoiceEngine, cloud actions on a call and
 * searches to main; components never reach either themselves.
 */

const say = (level: 'error' | 'info', text: string) => usePhone.getState().say(level, text);

/** Runs a phone command; a refusal (VoiceError) or failure is shown as the phone's message. */
export function runPhoneAction(action: () => unknown): void {
  try {
    const result = action();
    if (result instanceof Promise) result.catch((error: unknown) => say('error', (error as Error).message));
  } catch (error) {
    say('error', error instanceof VoiceError ? error.message : (error as Error).message);
  }
}

// ─── Call commands (refusals show as the phone's message) ─────────────────────────────────────

export const answerCall = (callId: string) => runPhoneAction(() => phoneEngine()?.accept(callId));
export const rejectCall = (callId: string) => runPhoneAction(() => phoneEngine()?.reject(callId));
export const sendCallToVoicemail = (callId: string) => runPhoneAction(() => phoneEngine()?.sendToVoicemail(callId));
export const hangUpCall = (callId: string) => runPhoneAction(() => phoneEngine()?.hangUp(callId));
export const muteCall = (callId: string, muted: boolean) => runPhoneAction(() => phoneEngine()?.mute(callId, muted));
export const holdCall = (callId: string, hold: boolean) => runPhoneAction(() => phoneEngine()?.setHold(callId, hold));
export const sendCallDigits = (callId: string, digits: string) => runPhoneAction(() => phoneEngine()?.sendDigits(callId, digits));

/** Places a call; rejects with the reason (offline, busy, …) for the dialer to show. */
export async function placeCall(to: string, callerId: string, taskId?: string): Promise<void> {
  await phoneEngine()?.connect({ to, callerId, ...(taskId ? { taskId } : {}) });
}

// ─── Cloud actions on a call ──────────────────────────────────────────────────────────────────

/** A call as the cloud knows it: its id when the cloud passed one, else its Twilio CallSid. */
const callRef = (call: CallState) => (cloudCallId(call) ? { callId: cloudCallId(call)! } : { callSid: call.callSid! });

/** Pauses or resumes the call's recording through the cloud; rejects (and says why) when refused. */
export async function setRecordingPaused(call: CallState, paused: boolean): Promise<void> {
  await callAction(getBridge(), call, { ...callRef(call), action: paused ? 'recording.pause' : 'recording.resume' });
  phoneEngine()?.setRecordingState(call.id, paused ? 'paused' : 'recording');
}

/** Cold transfer to a team member or a number; `label` names the target in the confirmation. */
export async function transferCall(call: CallState, to: { toUserId: string } | { toNumber: string }, label: string): Promise<void> {
  await callAction(getBridge(), call, { ...callRef(call), action: 'transfer', ...to });
  say('info', `Transferred to ${label}.`);
}

// ─── Wrap-up intents (main owns the wrap-up, its undo window and the commit) ──────────────────

/** Main answers each intent with its new wrap-up state, or a refusal: resolves with the refusal's words, or null. */
async function wrapUpIntent(answer: Promise<IpcResult<WrapUpStateView>>): Promise<string | null> {
  const result = await answer;
  if (!result.ok) return result.error.message;
  usePhone.getState().setWrapUps(result.value);
  return null;
}

export const chooseDisposition = (twilioCallSid: string, dispositionId: string, note: string | null) =>
  wrapUpIntent(getBridge().wrapups.choose({ twilioCallSid, dispositionId, note }));
export const undoDisposition = (twilioCallSid: string) => wrapUpIntent(getBridge().wrapups.undo({ twilioCallSid }));
/**
 * A call placed for a Manual Call task that did not reach anyone to disposition (no answer, left a
 * voicemail, wrong number): the task completes with that outcome exactly as on the Tasks tab (main
 * queues `task.finish`; the cloud puts the outcome on the call linked when it was placed), and the
 * wrap-up ends — no disposition applies. Resolves with the refusal in words, or null.
 */
export async function finishTaskFromWrapUp(twilioCallSid: string, taskId: string, callOutcome: 'no_answer' | 'left_voicemail' | 'wrong_number', note: string | null): Promise<string | null> {
  const done = await getBridge().tasks.act({ action: 'finish', taskId, outcome: 'completed', callOutcome, ...(note ? { note } : {}) });
  if (!done.ok) return done.error.message;
  // Main ends the wrap-up itself when the call is already in the cache; otherwise it is ended here.
  return usePhone.getState().wrapUps.items.some((w) => w.twilioCallSid === twilioCallSid) ? skipWrapUp(twilioCallSid) : null;
}

/** No disposition applies: main lets the call go without one. */
export const skipWrapUp = (twilioCallSid: string) => wrapUpIntent(getBridge().wrapups.dismiss({ twilioCallSid }));
/** Main keeps the note, so a global hotkey pressed from another program logs it too. */
export const keepWrapUpNote = (twilioCallSid: string, note: string | null) => wrapUpIntent(getBridge().wrapups.setNote({ twilioCallSid, note }));

// ─── Dialer ───────────────────────────────────────────────────────────────────────────────────

/** Contacts with a number matching a typed name (at most 6), or null when main could not search. */
export async function suggestContacts(query: string): Promise<Contact[] | null> {
  if (query.trim() === '') return []; // an empty search lists every contact A–Z: not a suggestion
  const result = await getBridge().search.query({ query: query.trim(), limit: 6 });
  return result.ok ? result.value.contacts.filter((c) => c.phone) : null;
}

/** Embedded demo only: a scripted caller rings one of the practice's numbers. */
export async function simulateCaller(): Promise<void> {
  const result = await getBridge().demo.simulateCall();
  if (!result.ok) say('error', result.error.message);
}
