import { assertNever } from './assert-never';

/**
 * One call's life, pure. Incoming calls start `ringing`, outgoing ones `dialing`; both pass through
 * `connecting` to `open`; an answered call ends in `wrap-up` (the disposition is still to be chosen)
 * and then `done`; a call that never connected goes straight to `done`. Every ending is named.
 *
 *   ringing ──accept-requested──► connecting ──accepted──► open ──disconnected/failed──► wrap-up ──wrap-up-finished──► done
 *   dialing ──placed / remote-ringing──►  ┘                 │ ▲ reconnecting / reconnected, warnings, mute, hold, recording
 *   ringing/dialing/connecting ──rejected / canceled / disconnected / failed──► done
 */

export type CallDirection = 'incoming' | 'outgoing';

export interface CallError {
  /** Twilio's error code (31xxx, 53xxx…) when there is one. */
  code: number | null;
  message: string;
}

/** `user`: the receptionist declined; `voicemail`: sent on to voicemail; `busy`: declined by the engine itself. */
export type RejectReason = 'user' | 'voicemail' | 'busy';

export type CallEnding =
  /** We declined the incoming call (it never connected). */
  | { kind: 'rejected'; reason: RejectReason }
  /** The caller hung up (or the call was answered elsewhere) before we answered. */
  | { kind: 'canceled' }
  /** The other side hung up (for an unanswered outgoing call: busy, no answer, declined). */
  | { kind: 'remote-hangup' }
  /** We hung up. */
  | { kind: 'local-hangup' }
  /** The call died of an error (media, signaling, permissions, a gateway error with the hangup). */
  | { kind: 'failed'; error: CallError };

/** Hold is a cloud action (the caller is parked in a conference/queue); this is its progress here. */
export type HoldState = 'off' | 'holding' | 'held' | 'resuming';

/** Recording is controlled through the cloud; `unknown` until it tells us. */
export type RecordingState = 'unknown' | 'off' | 'recording' | 'paused';

/** SDK warning names seen in practice; any other name the SDK raises is kept as is. */
export type CallWarningName =
  | 'high-rtt'
  | 'high-packet-loss'
  | 'high-jitter'
  | 'low-mos'
  | 'ice-connectivity-lost'
  | 'low-bytes-received'
  | 'low-bytes-sent'
  | 'constant-audio-input-level'
  | (string & {});

export type CallPhase =
  | { name: 'ringing' }
  | { name: 'dialing' }
  | { name: 'connecting'; remoteRinging: boolean }
  | { name: 'open'; connectedAt: number; reconnecting: boolean }
  | { name: 'wrap-up'; ending: CallEnding; connectedAt: number; endedAt: number }
  | { name: 'done'; ending: CallEnding; connectedAt: number | null; endedAt: number };

export type CallPhaseName = CallPhase['name'];

export interface CallState {
  /** Stable local id, known before Twilio assigns a CallSid. */
  readonly id: string;
  readonly direction: CallDirection;
  /** The remote party for incoming calls; our caller ID (or client identity) for outgoing ones. */
  readonly from: string;
  readonly to: string;
  /** Twilio's CallSid; for outgoing calls adopted from the edge's first reply. */
  readonly callSid: string | null;
  /** Custom parameters from the cloud's TwiML (screen-pop data such as `callId`). */
  readonly customParameters: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly muted: boolean;
  readonly hold: HoldState;
  readonly recording: RecordingState;
  /** Active call-quality warnings, oldest first. */
  readonly warnings: readonly CallWarningName[];
  /** The latest error, fatal or not, for the UI to show. */
  readonly lastError: CallError | null;
  readonly phase: CallPhase;
}

export type CallEvent =
  /** The receptionist answered; the SDK's `accept` follows when signaling and media are up. */
  | { type: 'accept-requested'; at: number }
  /** Outgoing: the SDK call exists and the invite is on its way. */
  | { type: 'placed'; at: number; callSid: string | null }
  /** Outgoing: the far end is ringing (the edge named the real CallSid). */
  | { type: 'remote-ringing'; at: number; callSid: string | null }
  /** The SDK's `accept`: the call is connected. */
  | { type: 'accepted'; at: number; callSid: string | null }
  | { type: 'rejected'; at: number; reason: RejectReason }
  /** The SDK's `cancel`: the caller went away before we answered. */
  | { type: 'canceled'; at: number }
  /** The SDK's `disconnect`; `error` when an error came with it (a gateway hangup with an error). */
  | { type: 'disconnected'; at: number; by: 'local' | 'remote'; error: CallError | null }
  /** The call is closed by an error and no `disconnect` will follow. */
  | { type: 'failed'; at: number; error: CallError }
  /** An error the call survives (a failed DTMF, a message error); shown, not an ending. */
  | { type: 'error'; at: number; error: CallError }
  | { type: 'reconnecting'; at: number; error: CallError | null }
  | { type: 'reconnected'; at: number }
  | { type: 'warning'; at: number; name: CallWarningName }
  | { type: 'warning-cleared'; at: number; name: CallWarningName }
  | { type: 'mute-changed'; muted: boolean }
  | { type: 'hold-changed'; hold: HoldState }
  | { type: 'recording-changed'; recording: RecordingState }
  /** The UI stored (or skipped) the disposition. */
  | { type: 'wrap-up-finished'; at: number };

export interface NewCall {
  id: string;
  from: string;
  to: string;
  callSid: string | null;
  customParameters: Readonly<Record<string, string>>;
  at: number;
}

function newCall(direction: CallDirection, phase: CallPhase, call: NewCall): CallState {
  return {
    id: call.id,
    direction,
    from: call.from,
    to: call.to,
    callSid: call.callSid,
    customParameters: call.customParameters,
    createdAt: call.at,
    muted: false,
    hold: 'off',
    recording: 'unknown',
    warnings: [],
    lastError: null,
    phase,
  };
}

export const incomingCall = (call: NewCall): CallState => newCall('incoming', { name: 'ringing' }, call);
export const outgoingCall = (call: NewCall): CallState => newCall('outgoing', { name: 'dialing' }, call);

const withSid = (state: CallState, callSid: string | null): CallState =>
  callSid && callSid !== state.callSid ? { ...state, callSid } : state;

/** Ends a call: an answered call goes to wrap-up, one that never connected is done. */
function end(state: CallState, ending: CallEnding, at: number): CallState {
  const base = { ...state, warnings: [], hold: 'off' as const };
  if (state.phase.name === 'open') {
    return { ...base, phase: { name: 'wrap-up', ending, connectedAt: state.phase.connectedAt, endedAt: at } };
  }
  return { ...base, phase: { name: 'done', ending, connectedAt: null, endedAt: at } };
}

function disconnectEnding(event: Extract<CallEvent, { type: 'disconnected' }>, state: CallState): CallEnding {
  if (event.error) return { kind: 'failed', error: event.error };
  if (event.by === 'local') return { kind: 'local-hangup' };
  // An incoming call that was never answered and went away: the caller gave up.
  return state.direction === 'incoming' && state.phase.name === 'ringing' ? { kind: 'canceled' } : { kind: 'remote-hangup' };
}

function addWarning(state: CallState, name: CallWarningName): CallState {
  return state.warnings.includes(name) ? state : { ...state, warnings: [...state.warnings, name] };
}

function clearWarning(state: CallState, name: CallWarningName): CallState {
  return state.warnings.includes(name) ? { ...state, warnings: state.warnings.filter((w) => w !== name) } : state;
}

/** Events every live (not yet ended) phase handles alike; null when the phase must decide. */
function liveCommon(state: CallState, event: CallEvent): CallState | null {
  switch (event.type) {
    case 'failed':
      return { ...end(state, { kind: 'failed', error: event.error }, event.at), lastError: event.error };
    case 'error':
      return { ...state, lastError: event.error };
    case 'disconnected':
      return { ...end(state, disconnectEnding(event, state), event.at), lastError: event.error ?? state.lastError };
    case 'mute-changed':
      return state.muted === event.muted ? state : { ...state, muted: event.muted };
    case 'recording-changed':
      return state.recording === event.recording ? state : { ...state, recording: event.recording };
    case 'accept-requested':
    case 'placed':
    case 'remote-ringing':
    case 'accepted':
    case 'rejected':
    case 'canceled':
    case 'reconnecting':
    case 'reconnected':
    case 'warning':
    case 'warning-cleared':
    case 'hold-changed':
    case 'wrap-up-finished':
      return null;
    default:
      return assertNever(event);
  }
}

export function callTransition(state: CallState, event: CallEvent): CallState {
  const phase = state.phase;
  switch (phase.name) {
    case 'ringing':
    case 'dialing':
    case 'connecting': {
      const common = liveCommon(state, event);
      if (common) return common;
      switch (event.type) {
        case 'accept-requested':
          return phase.name === 'ringing' ? { ...state, phase: { name: 'connecting', remoteRinging: false } } : state;
        case 'placed':
          return phase.name === 'dialing' ? { ...withSid(state, event.callSid), phase: { name: 'connecting', remoteRinging: false } } : withSid(state, event.callSid);
        case 'remote-ringing':
          if (state.direction !== 'outgoing') return state;
          return { ...withSid(state, event.callSid), phase: { name: 'connecting', remoteRinging: true } };
        case 'accepted':
          return { ...withSid(state, event.callSid), phase: { name: 'open', connectedAt: event.at, reconnecting: false } };
        case 'rejected':
          return phase.name === 'ringing' ? end(state, { kind: 'rejected', reason: event.reason }, event.at) : state;
        case 'canceled':
          return end(state, { kind: 'canceled' }, event.at);
        case 'warning':
          return phase.name === 'connecting' ? addWarning(state, event.name) : state;
        case 'warning-cleared':
          return clearWarning(state, event.name);
        // Not meaningful before the call is connected.
        case 'reconnecting':
        case 'reconnected':
        case 'hold-changed':
        case 'wrap-up-finished':
          return state;
        case 'failed':
        case 'error':
        case 'disconnected':
        case 'mute-changed':
        case 'recording-changed':
          return state; // handled by liveCommon
        default:
          return assertNever(event);
      }
    }
    case 'open': {
      const common = liveCommon(state, event);
      if (common) return common;
      switch (event.type) {
        case 'reconnecting':
          return { ...state, lastError: event.error ?? state.lastError, phase: { ...phase, reconnecting: true } };
        case 'reconnected':
          return phase.reconnecting ? { ...state, phase: { ...phase, reconnecting: false } } : state;
        case 'warning':
          return addWarning(state, event.name);
        case 'warning-cleared':
          return clearWarning(state, event.name);
        case 'hold-changed':
          return state.hold === event.hold ? state : { ...state, hold: event.hold };
        // Late or duplicate signals for an answered call.
        case 'accept-requested':
        case 'placed':
        case 'accepted':
        case 'rejected':
        case 'canceled':
        case 'wrap-up-finished':
          return state;
        case 'remote-ringing':
          return withSid(state, event.callSid);
        case 'failed':
        case 'error':
        case 'disconnected':
        case 'mute-changed':
        case 'recording-changed':
          return state; // handled by liveCommon
        default:
          return assertNever(event);
      }
    }
    case 'wrap-up':
      switch (event.type) {
        case 'wrap-up-finished':
          return { ...state, phase: { name: 'done', ending: phase.ending, connectedAt: phase.connectedAt, endedAt: phase.endedAt } };
        // The recording state may still be reported by the cloud after hangup; keep it for the wrap-up screen.
        case 'recording-changed':
          return state.recording === event.recording ? state : { ...state, recording: event.recording };
        case 'accept-requested':
        case 'placed':
        case 'remote-ringing':
        case 'accepted':
        case 'rejected':
        case 'canceled':
        case 'disconnected':
        case 'failed':
        case 'error':
        case 'reconnecting':
        case 'reconnected':
        case 'warning':
        case 'warning-cleared':
        case 'mute-changed':
        case 'hold-changed':
          return state;
        default:
          return assertNever(event);
      }
    case 'done':
      return state;
    default:
      return assertNever(phase);
  }
}

/** Ringing, dialing, connecting or open: the SDK still holds a live call for it. */
export const isLive = (call: CallState): boolean =>
  call.phase.name === 'ringing' || call.phase.name === 'dialing' || call.phase.name === 'connecting' || call.phase.name === 'open';

/** Connected or on its way to be (the receptionist is on this call). */
export const isEngaged = (call: CallState): boolean =>
  call.phase.name === 'dialing' || call.phase.name === 'connecting' || call.phase.name === 'open';
