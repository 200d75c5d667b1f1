import type { PhoneCommand } from '../../shared/ipc';
import { isEngaged, isLive, outgoingCall, type CallEvent, type CallState, type RecordingState, type RejectReason } from './call-machine';
import type { SdkCallTracker } from './call-tracker';
import { toCallError } from './call-tracker';
import { canPlaceCalls } from './device-machine';
import type { CallActions, NetworkEvents, VoiceLog } from './engine-ports';
import { ringingKeysTarget, type EngineStateStore, type VoiceEngineState } from './engine-state';
import type { HoldAudio } from './hold-audio';
import type { SdkCall, SdkDevice } from './sdk-port';
import { messageOf, VoiceError } from './voice-error';

const DTMF = /^[0-9*#wW]{1,32}$/;

/**
 * Why a ringing call may not be answered now, or null. Pure. Answering over a call is allowed only
 * when every other call is fully on hold (music playing). With a chosen microphone the SDK gives
 * every call the same microphone track, so the new call would send the held call's music (and
 * resuming would mix both): answer only when each call gets its own.
 */
export function answerRefusal(call: CallState, calls: readonly CallState[], sharedMicrophone: boolean): VoiceError | null {
  if (call.phase.name !== 'ringing') return new VoiceError('wrong-state', 'This call is no longer ringing.');
  const engaged = calls.filter(isEngaged);
  if (engaged.some((c) => c.hold !== 'held')) return new VoiceError('busy', 'Hang up or hold the current call before answering another.');
  if (engaged.length > 0 && sharedMicrophone) {
    return new VoiceError('busy', 'Hang up the call on hold before answering another: with a chosen microphone both calls would share it.');
  }
  return null;
}

/**
 * `answerRefusal` as the UI can ask it, from the engine's state: `audio.microphone` is the Device's
 * chosen input (readAudioDevices), the one `accept` checks for a shared microphone.
 */
export const answerRefusalIn = (state: Pick<VoiceEngineState, 'calls' | 'audio'>, call: CallState): VoiceError | null =>
  answerRefusal(call, state.calls, state.audio.microphone !== null);

/**
 * Whether `call` may be put on hold (`hold`) or resumed now: a refusal, 'unchanged' when it already
 * is, or 'go'. Pure. Resuming while another call is live (not held) is refused.
 */
export function holdDecision(call: CallState, hold: boolean, calls: readonly CallState[], holdAvailable: boolean): VoiceError | 'unchanged' | 'go' {
  if (call.phase.name !== 'open') return new VoiceError('wrong-state', 'Only a connected call can be held.');
  if (!holdAvailable) return new VoiceError('not-available', 'Hold is not available in this window.');
  if (call.hold === 'holding' || call.hold === 'resuming') return new VoiceError('wrong-state', `The call is still ${call.hold === 'holding' ? 'going on hold' : 'resuming'}.`);
  if ((call.hold === 'held') === hold) return 'unchanged';
  if (!hold && calls.some((c) => c.id !== call.id && isEngaged(c) && c.hold !== 'held')) {
    return new VoiceError('busy', 'Hang up or hold the other call before resuming this one.');
  }
  return 'go';
}

/** What one of main's phone hotkeys means for the calls there are now, or null (nothing to do, or the UI's business). Pure. */
export function hotkeyTarget(
  command: PhoneCommand,
  calls: readonly CallState[],
  engaged: CallState | undefined,
): { action: 'accept' | 'reject' | 'hangUp'; callId: string } | { action: 'mute'; callId: string; muted: boolean } | null {
  switch (command.kind) {
    case 'answer':
    case 'reject': {
      const ringing = ringingKeysTarget(calls);
      return ringing ? { action: command.kind === 'answer' ? 'accept' : 'reject', callId: ringing.id } : null;
    }
    case 'hangUp':
      return engaged ? { action: 'hangUp', callId: engaged.id } : null;
    case 'mute':
      return engaged && engaged.phase.name === 'open' ? { action: 'mute', callId: engaged.id, muted: !engaged.muted } : null;
    case 'showWindow':
      return null; // the UI's business
  }
}

export interface PhoneCommandPorts {
  store: EngineStateStore;
  tracker: SdkCallTracker;
  device(): SdkDevice | null;
  network: NetworkEvents;
  holdAudio: HoldAudio | null;
  actions: CallActions | undefined;
  now(): number;
  newId(): string;
  log: VoiceLog;
  /** Adds a new call to the state. */
  add(call: CallState): void;
  /** Feeds one event to a call's state machine. */
  apply(id: string, event: CallEvent): void;
  /** The call rings from its signaling invite and the SDK's Call has not come yet (early-ring.ts). */
  awaitingSdk(id: string): boolean;
}

/**
 * What the receptionist (or a hotkey from main) asks of a call. Each command checks the call's state
 * first and refuses with a VoiceError the UI can show as it is.
 */
export class PhoneCommands {
  constructor(private readonly ports: PhoneCommandPorts) {}

  /** Places an outgoing call; resolves with its local id once the SDK has the call. */
  async connect(request: { to: string; callerId: string; taskId?: string }): Promise<string> {
    const { store, tracker, network } = this.ports;
    const device = this.ports.device();
    if (!device || !canPlaceCalls(store.get().device) || !network.isOnline()) {
      throw new VoiceError('offline', 'The phone is not connected, so the call was not placed. Check the connection and try again.');
    }
    if (store.engaged()) throw new VoiceError('busy', 'Finish the current call before placing another.');
    const to = request.to.trim();
    if (to === '') throw new VoiceError('invalid-input', 'Enter a number to call.');
    const id = this.ports.newId();
    // TaskId: the Manual Call task this call is placed for (the cloud links the call to it as it starts).
    const params: Record<string, string> = { To: to, CallerId: request.callerId, ...(request.taskId ? { TaskId: request.taskId } : {}) };
    this.ports.add(outgoingCall({ id, from: request.callerId, to, callSid: null, customParameters: params, at: this.ports.now() }));
    let call: SdkCall;
    try {
      call = await device.connect({ params });
    } catch (error) {
      this.ports.apply(id, { type: 'failed', at: this.ports.now(), error: toCallError(error) });
      throw new VoiceError('failed', `The call could not be placed: ${toCallError(error).message}`);
    }
    tracker.track(id, call);
    const current = store.find(id);
    if (!current || !isLive(current)) {
      // Hung up while the SDK was still setting the call up.
      call.disconnect();
      tracker.forget(id);
      return id;
    }
    this.ports.apply(id, { type: 'placed', at: this.ports.now(), callSid: call.parameters.CallSid ?? null });
    return id;
  }

  accept(callId: string): void {
    const { store } = this.ports;
    const call = store.require(callId);
    // Already being answered (a second Enter, click or hotkey before the screen shows it): done.
    if (call.direction === 'incoming' && call.phase.name === 'connecting') return;
    const refusal = answerRefusal(call, store.get().calls, Boolean(this.ports.device()?.audio?.inputDevice));
    if (refusal) throw refusal;
    const sdkCall = this.ports.tracker.sdkCall(callId);
    if (!sdkCall && !this.ports.awaitingSdk(callId)) throw new VoiceError('wrong-state', 'The call is still being set up.');
    this.ports.apply(callId, { type: 'accept-requested', at: this.ports.now() });
    // Without the SDK's Call yet, the engine accepts it the moment it comes.
    sdkCall?.accept();
  }

  reject(callId: string): void {
    this.rejectWith(callId, 'user');
  }

  /**
   * Sends a ringing call to voicemail through the cloud (an injected action). Until the app provides
   * `actions.sendToVoicemail`, rejects with a `not-available` VoiceError the UI can show.
   */
  async sendToVoicemail(callId: string): Promise<void> {
    const { store, tracker } = this.ports;
    const call = store.require(callId);
    if (call.phase.name !== 'ringing') throw new VoiceError('wrong-state', 'Only a ringing call can be sent to voicemail.');
    const action = this.ports.actions?.sendToVoicemail;
    if (!action) throw new VoiceError('not-available', 'Sending to voicemail is not available yet: reject the call instead.');
    tracker.setRejectReason(callId, 'voicemail');
    try {
      await action(call);
    } catch (error) {
      tracker.setRejectReason(callId, null);
      throw new VoiceError('failed', `The call could not be sent to voicemail: ${messageOf(error)}`);
    }
    // The cloud redirected the caller; our leg may already be canceled. Make sure it stops ringing here.
    if (store.find(callId)?.phase.name === 'ringing') this.rejectWith(callId, 'voicemail');
  }

  hangUp(callId: string): void {
    const call = this.ports.store.require(callId);
    switch (call.phase.name) {
      case 'ringing':
        this.rejectWith(callId, 'user');
        return;
      case 'dialing':
      case 'connecting':
      case 'open': {
        this.ports.tracker.markLocalHangup(callId);
        const sdkCall = this.ports.tracker.sdkCall(callId);
        if (sdkCall && sdkCall.status() !== 'closed') sdkCall.disconnect();
        // No SDK call yet (still dialing) or it closed without telling: end it here.
        else this.ports.apply(callId, { type: 'disconnected', at: this.ports.now(), by: 'local', error: null });
        return;
      }
      case 'wrap-up':
      case 'done':
        return;
    }
  }

  mute(callId: string, muted: boolean): void {
    const sdkCall = this.requireSdkCall(callId);
    sdkCall.mute(muted);
    this.ports.apply(callId, { type: 'mute-changed', muted: sdkCall.isMuted() });
    // The SDK mutes by disabling the sent track, which would also stop the hold music: keep it flowing.
    // The mute is remembered by the SDK and applies again on resume.
    if (this.ports.store.find(callId)?.hold === 'held') {
      void this.ports.holdAudio?.setHeld(sdkCall, true).catch((error: unknown) => this.ports.log('Hold: could not keep the music after mute', error));
    }
  }

  sendDigits(callId: string, digits: string): void {
    if (!DTMF.test(digits)) throw new VoiceError('invalid-input', 'Digits may only be 0–9, * and #.');
    const call = this.ports.store.require(callId);
    if (call.phase.name !== 'open') throw new VoiceError('wrong-state', 'Digits can be sent only during a connected call.');
    this.requireSdkCall(callId).sendDigits(digits);
  }

  /**
   * Hold or resume in the browser (no conference, see README "Hold"): held, the caller hears the hold
   * loop instead of the microphone and nothing of the caller reaches the speaker; the call stays
   * connected. Resuming a call while another one is live (not held) is refused.
   */
  async setHold(callId: string, hold: boolean): Promise<void> {
    const { store, holdAudio } = this.ports;
    const decision = holdDecision(store.require(callId), hold, store.get().calls, holdAudio !== null);
    if (decision instanceof VoiceError) throw decision;
    if (decision === 'unchanged' || !holdAudio) return;
    const sdkCall = this.requireSdkCall(callId);
    this.ports.apply(callId, { type: 'hold-changed', hold: hold ? 'holding' : 'resuming' });
    try {
      await holdAudio.setHeld(sdkCall, hold);
    } catch (error) {
      // Back to where it was, as far as the audio allows; the state says what was asked last.
      await holdAudio.setHeld(sdkCall, !hold).catch(() => undefined);
      this.ports.apply(callId, { type: 'hold-changed', hold: hold ? 'off' : 'held' });
      throw new VoiceError('failed', `${hold ? 'Hold' : 'Resume'} failed: ${messageOf(error)}`);
    }
    this.ports.apply(callId, { type: 'hold-changed', hold: hold ? 'held' : 'off' });
  }

  /** The cloud (or the recording controls' result) tells the engine the recording state. */
  setRecordingState(callId: string, recording: RecordingState): void {
    this.ports.apply(callId, { type: 'recording-changed', recording });
  }

  /** The disposition was stored (or the wrap-up skipped): the call is done. */
  finishWrapUp(callId: string): void {
    this.ports.apply(callId, { type: 'wrap-up-finished', at: this.ports.now() });
  }

  /**
   * Global hotkeys and tray items from main that concern the phone itself. Returns the refusal, or
   * null: the caller shows it (the receptionist pressed a key and must learn why nothing happened).
   */
  handlePhoneCommand(command: PhoneCommand): VoiceError | null {
    const { store } = this.ports;
    try {
      const target = hotkeyTarget(command, store.get().calls, store.engaged());
      if (!target) return null;
      if (target.action === 'accept') this.accept(target.callId);
      else if (target.action === 'reject') this.reject(target.callId);
      else if (target.action === 'hangUp') this.hangUp(target.callId);
      else if (target.action === 'mute') this.mute(target.callId, target.muted);
      return null;
    } catch (error) {
      return error instanceof VoiceError ? error : new VoiceError('failed', messageOf(error));
    }
  }

  private rejectWith(callId: string, reason: RejectReason): void {
    const { store, tracker } = this.ports;
    const call = store.require(callId);
    if (call.phase.name !== 'ringing') throw new VoiceError('wrong-state', 'This call is no longer ringing.');
    tracker.setRejectReason(callId, reason);
    const sdkCall = tracker.sdkCall(callId);
    if (sdkCall && sdkCall.status() === 'pending') sdkCall.reject();
    // The SDK emits `reject` synchronously; if it did not (the call was already closed), end it here.
    if (store.find(callId)?.phase.name === 'ringing') this.ports.apply(callId, { type: 'rejected', at: this.ports.now(), reason });
  }

  private requireSdkCall(id: string): SdkCall {
    this.ports.store.require(id);
    const call = this.ports.tracker.sdkCall(id);
    if (!call) throw new VoiceError('wrong-state', 'The call is still being set up.');
    return call;
  }
}
