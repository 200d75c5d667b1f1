import type { PhoneStateReport } from '../../shared/ipc';
import type { CallState } from './call-machine';
import type { DeviceState } from './device-machine';
import { ringingKeysTarget } from './engine-state';
import { answerRefusal } from './phone-commands';

/**
 * What main needs from the engine's state and cannot know itself: the registration, the state of the
 * call the report is about, the remote party as the SDK sees it, mute. Main names the caller (screen
 * pop, contact cache) and owns the wrap-up and its hotkeys. Pure.
 *
 * The one call the report is about (the "focus"): a call the receptionist is on (dialing,
 * connecting, open) wins; else the ringing call the answer and reject keys act on (`ringingKeysTarget`:
 * the tray names the call its Answer answers; the answer hotkey works even during a wrap-up); else a call in wrap-up; else none.
 * A call ringing while the focus is a call in progress is reported beside it (`waiting`): main alerts
 * and the tray offers Answer for it, as the keys do.
 */
export interface ReportInput {
  device: DeviceState;
  calls: readonly CallState[];
  /** The Device's chosen microphone (null: the default): answering over a held call is refused when it is shared (`answerRefusal`). */
  audio?: { microphone: string | null };
}

const MAX_REMOTE = 200;
const MAX_CALL_ID = 100;
const MAX_CLOUD_CALL_ID = 64;

export function focusCall(calls: readonly CallState[]): CallState | null {
  return (
    calls.find((c) => c.phase.name === 'open' || c.phase.name === 'connecting' || c.phase.name === 'dialing') ??
    ringingKeysTarget(calls) ??
    calls.find((c) => c.phase.name === 'wrap-up') ??
    null
  );
}

/** The remote party's number (or client identity): the caller for incoming calls, the callee for outgoing ones. */
export const remoteParty = (call: CallState): string => (call.direction === 'incoming' ? call.from : call.to);

const clip = (value: string, max: number): string => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

export function toPhoneReport(input: ReportInput): PhoneStateReport {
  const call = focusCall(input.calls);
  const registration = input.device.status;
  if (!call) return { registration, call: 'idle', callId: null, cloudCallId: null, remote: null, muted: false, waiting: null };
  const phase = call.phase.name;
  const callKind: PhoneStateReport['call'] = phase === 'ringing' ? 'ringing' : phase === 'wrap-up' ? 'wrap-up' : 'in-call';
  const ringing = callKind === 'in-call' ? ringingKeysTarget(input.calls) : undefined;
  return {
    registration,
    call: callKind,
    ...identity(call),
    muted: callKind === 'in-call' && call.muted,
    waiting: ringing ? { ...identity(ringing), answerable: answerRefusal(ringing, input.calls, (input.audio?.microphone ?? null) !== null) === null } : null,
  };
}

/** A call as main knows it: the renderer's id, the cloud's id when passed, the remote party (each clipped to the contract's bounds). */
function identity(call: CallState): Pick<PhoneStateReport, 'callId' | 'cloudCallId' | 'remote'> & { callId: string } {
  const cloudCallId = call.customParameters.callId;
  return {
    callId: clip(call.id, MAX_CALL_ID),
    cloudCallId: cloudCallId && cloudCallId.length <= MAX_CLOUD_CALL_ID ? cloudCallId : null,
    remote: clip(remoteParty(call), MAX_REMOTE),
  };
}

const sameWaiting = (a: PhoneStateReport['waiting'], b: PhoneStateReport['waiting']): boolean =>
  a === b || (a !== null && b !== null && a.callId === b.callId && a.cloudCallId === b.cloudCallId && a.remote === b.remote && a.answerable === b.answerable);

export const sameReport = (a: PhoneStateReport | null, b: PhoneStateReport): boolean =>
  a !== null &&
  a.registration === b.registration &&
  a.call === b.call &&
  a.callId === b.callId &&
  a.cloudCallId === b.cloudCallId &&
  a.remote === b.remote &&
  a.muted === b.muted &&
  sameWaiting(a.waiting, b.waiting);
