import type { PhoneStateReport } from '../../shared/ipc';
import type { CallState } from './call-machine';
import type { DeviceState } from './device-machine';

/**
 * What main needs to draw the tray, bind hotkeys and raise alerts, from the engine's state. Pure.
 *
 * The one call the report is about (the "focus"): a call the receptionist is on (dialing,
 * connecting, open) wins; else a ringing call (so the answer hotkey works, even during a
 * wrap-up); else a call in wrap-up; else none.
 */
export interface ReportInput {
  device: DeviceState;
  calls: readonly CallState[];
}

export interface ReportOptions {
  /** How many dispositions the wrap-up picker offers now (0–10): main binds that many digit keys. */
  wrapUpDispositions: number;
  /** A display name for the remote party (from the local contact cache), or null. */
  nameFor?: (call: CallState) => string | null;
}

const MAX_CALLER = 200;
const MAX_DETAIL = 300;
const MAX_CALL_ID = 100;

export function focusCall(calls: readonly CallState[]): CallState | null {
  return (
    calls.find((c) => c.phase.name === 'open' || c.phase.name === 'connecting' || c.phase.name === 'dialing') ??
    calls.find((c) => c.phase.name === 'ringing') ??
    calls.find((c) => c.phase.name === 'wrap-up') ??
    null
  );
}

/** The remote party's number (or client identity): the caller for incoming calls, the callee for outgoing ones. */
export const remoteParty = (call: CallState): string => (call.direction === 'incoming' ? call.from : call.to);

/** A name the cloud passed as a custom parameter, if any. */
export function nameFromParameters(call: CallState): string | null {
  const p = call.customParameters;
  const name = p.contactName ?? p.ContactName ?? p.callerName ?? p.CallerName;
  return name && name.trim() !== '' ? name.trim() : null;
}

const clip = (value: string, max: number): string => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

export function toPhoneReport(input: ReportInput, options: ReportOptions): PhoneStateReport {
  const call = focusCall(input.calls);
  const registration = input.device.status;
  if (!call) {
    return { registration, call: 'idle', callId: null, caller: null, callerDetail: null, muted: false, wrapUpDispositions: 0 };
  }
  const number = remoteParty(call);
  const name = options.nameFor?.(call) ?? nameFromParameters(call);
  const phase = call.phase.name;
  const callKind: PhoneStateReport['call'] = phase === 'ringing' ? 'ringing' : phase === 'wrap-up' ? 'wrap-up' : 'in-call';
  return {
    registration,
    call: callKind,
    callId: clip(call.id, MAX_CALL_ID),
    caller: clip(name ?? number, MAX_CALLER),
    callerDetail: name ? clip(number, MAX_DETAIL) : null,
    muted: callKind === 'in-call' && call.muted,
    wrapUpDispositions: callKind === 'wrap-up' ? Math.max(0, Math.min(10, Math.trunc(options.wrapUpDispositions))) : 0,
  };
}

export const sameReport = (a: PhoneStateReport | null, b: PhoneStateReport): boolean =>
  a !== null &&
  a.registration === b.registration &&
  a.call === b.call &&
  a.callId === b.callId &&
  a.caller === b.caller &&
  a.callerDetail === b.callerDetail &&
  a.muted === b.muted &&
  a.wrapUpDispositions === b.wrapUpDispositions;
