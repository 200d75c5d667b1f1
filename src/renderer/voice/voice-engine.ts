import type { EventPayload, IpcResult, PhoneCommand, VoiceConfig, VoiceTokenView } from '../../shared/ipc';
import {
  applyAudioPreferences,
  availableOutputs,
  defaultAudioPreferences,
  emptyAudioDevicesView,
  readAudioDevices,
  type AudioDevicesView,
  type AudioPreferences,
} from './audio-devices';
import {
  callTransition,
  incomingCall,
  isEngaged,
  isLive,
  outgoingCall,
  type CallError,
  type CallEvent,
  type CallState,
  type RecordingState,
  type RejectReason,
} from './call-machine';
import { systemClock, type Clock } from './clock';
import { canPlaceCalls, deviceTransition, initialDeviceState, type DeviceEvent, type DeviceState } from './device-machine';
import type { DeviceFactory, SdkCall, SdkDevice, SdkDeviceOptions, SdkError } from './sdk-port';
import type { SignalingSource } from './signaling-monitor';
import type { HoldAudio } from './hold-audio';
import { localSounds } from './sounds';
import { RegistrationWatchdog, type WatchdogOptions } from './watchdog';

/** The part of `window.softphone` the engine uses. */
export interface VoiceBridge {
  voice: {
    getConfig(): Promise<IpcResult<VoiceConfig>>;
    getToken(): Promise<IpcResult<VoiceTokenView | null>>;
  };
  on(event: 'voice.token', listener: (payload: EventPayload<'voice.token'>) => void): () => void;
  on(event: 'phone.wake', listener: (payload: EventPayload<'phone.wake'>) => void): () => void;
}

/** Cloud actions the engine cannot do itself; injected by the app. (Hold is done here: `holdAudio`.) */
export interface CallActions {
  /** Redirects a ringing call to the number's voicemail; resolves when the cloud accepted it. */
  sendToVoicemail?(call: CallState): Promise<void>;
}

/** Browser online/offline, injectable for tests. */
export interface NetworkEvents {
  subscribe(onOnline: () => void, onOffline: () => void): () => void;
  isOnline(): boolean;
}

export interface VoiceEngineOptions {
  bridge: VoiceBridge;
  createDevice: DeviceFactory;
  /**
   * The SDK's signaling socket as seen by `signaling-monitor.ts` (`startVoice` passes the installed
   * one). Its heartbeat age is how the watchdog judges the registration; without it the watchdog is
   * blind and falls back to an occasional re-register probe.
   */
  signaling?: SignalingSource | null;
  clock?: Clock;
  actions?: CallActions;
  /**
   * Hold in the browser (hold music to the caller, the caller silenced here; see README "Hold").
   * `startVoice` passes the Web Audio one; without it `setHold` is refused as not available.
   */
  holdAudio?: HoldAudio | null;
  network?: NetworkEvents;
  /** Where the SDK sounds are served; default `/sounds/`. */
  soundsBaseUrl?: string;
  watchdog?: Partial<WatchdogOptions>;
  audioPreferences?: AudioPreferences;
  newId?: () => string;
  /** Diagnostics sink (default console.warn). */
  log?: (message: string, detail?: unknown) => void;
}

export interface VoiceEngineState {
  device: DeviceState;
  /** Calls not yet done, in arrival order (ringing, dialing, connecting, open, wrap-up). */
  calls: readonly CallState[];
  /** The most recent call that reached `done`, for a short "call ended" message. */
  lastEnded: CallState | null;
  identity: string | null;
  audio: AudioDevicesView;
  /** The last problem worth showing (token trouble, a failed repair), or null. */
  problem: string | null;
}

export type VoiceErrorCode = 'offline' | 'busy' | 'no-such-call' | 'wrong-state' | 'not-available' | 'invalid-input' | 'failed';

/** A refusal the UI can show as it is. */
export class VoiceError extends Error {
  constructor(
    readonly code: VoiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VoiceError';
  }
}

const TOKEN_ERROR_CODES = new Set([20101, 20104, 31201, 31204, 31205]);
const DTMF = /^[0-9*#wW]{1,32}$/;
/** Ask for a fresh token when less than this is left. */
const TOKEN_MARGIN_MS = 60_000;

const defaultNetwork: NetworkEvents = {
  subscribe(onOnline, onOffline) {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  },
  isOnline: () => navigator.onLine,
};

function toCallError(error: unknown): CallError {
  if (error && typeof error === 'object') {
    const e = error as SdkError;
    const message = e.message || e.description || 'The call failed';
    return { code: typeof e.code === 'number' ? e.code : null, message };
  }
  return { code: null, message: String(error) };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function paramsRecord(map: Map<string, string> | undefined): Record<string, string> {
  return map ? Object.fromEntries(map.entries()) : {};
}

/** Errors and disconnects of one call collected within one turn of the event loop. */
interface PendingEnd {
  errors: CallError[];
  disconnected: boolean;
  transportClosed: boolean;
}

/**
 * The VoiceEngine: owns the Twilio Device, its registration watchdog and every call. The UI reads
 * `getState()`/`subscribe()` (or `useVoiceStore`) and calls the commands; nothing else touches the SDK.
 */
export class VoiceEngine {
  private state: VoiceEngineState;
  private readonly listeners = new Set<(state: VoiceEngineState) => void>();
  private readonly clock: Clock;
  private readonly network: NetworkEvents;
  private readonly watchdog: RegistrationWatchdog;
  private readonly newId: () => string;
  private readonly log: (message: string, detail?: unknown) => void;
  private audioPreferences: AudioPreferences;

  private device: SdkDevice | null = null;
  private detachDevice: (() => void) | null = null;
  /** Set while the engine itself unregisters (a probe), so the SDK's `unregistered` is not a loss. */
  private unregisteringDevice: SdkDevice | null = null;
  private config: VoiceConfig | null = null;
  private token: VoiceTokenView | null = null;
  private readonly sdkCalls = new Map<string, SdkCall>();
  private readonly detachCalls = new Map<string, () => void>();
  private readonly localHangups = new Set<string>();
  private readonly rejectReasons = new Map<string, RejectReason>();
  private readonly pendingEnds = new Map<string, PendingEnd>();
  private unsubscribers: Array<() => void> = [];
  private started = false;

  constructor(private readonly options: VoiceEngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.network = options.network ?? defaultNetwork;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.log = options.log ?? ((message, detail) => console.warn(`[voice] ${message}`, detail ?? ''));
    this.audioPreferences = options.audioPreferences ?? defaultAudioPreferences;
    this.state = { device: initialDeviceState, calls: [], lastEnded: null, identity: null, audio: emptyAudioDevicesView, problem: null };
    this.watchdog = new RegistrationWatchdog(
      {
        clock: this.clock,
        hasLiveCall: () => this.state.calls.some(isLive),
        endDeadCalls: () => this.endDeadCalls(),
        probe: () => this.probe(),
        repair: () => this.rebuildDevice(),
        onSuspect: (reason) => this.dispatchDevice({ type: 'health-suspect', at: this.clock.now(), reason }),
        onHealthy: () => this.dispatchDevice({ type: 'registered', at: this.clock.now() }),
        onRepairFailed: (message, retryInMs) => {
          this.setState({ problem: retryInMs > 0 ? `${message} — retrying in ${Math.round(retryInMs / 1000)} s` : `${message} — retrying` });
          if (this.state.device.status !== 'offline') this.dispatchDevice({ type: 'register-failed', at: this.clock.now(), message });
        },
      },
      options.watchdog,
    );
  }

  // ─── Observing ──────────────────────────────────────────────────────────────────────────────

  getState(): VoiceEngineState {
    return this.state;
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: (state: VoiceEngineState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For diagnostics: what the watchdog is doing, how old the last signaling frame is (null: blind). */
  get health(): { watchdog: string; mode: 'heartbeat' | 'blind'; heartbeatAgeMs: number | null; evidenceAgeMs: number } {
    return {
      watchdog: this.watchdog.status,
      mode: this.watchdog.mode,
      heartbeatAgeMs: this.watchdog.heartbeatAgeMs,
      evidenceAgeMs: this.watchdog.evidenceAgeMs,
    };
  }

  // ─── Lifecycle ──────────────────────────────────────────────────────────────────────────────

  /** Fetches config and token from main, creates the Device and registers; retries on its own. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { bridge } = this.options;
    this.unsubscribers.push(
      bridge.on('voice.token', (token) => this.acceptToken(token)),
      bridge.on('phone.wake', () => this.wake()),
      this.network.subscribe(
        () => this.wake(),
        () => this.dispatchDevice({ type: 'network-lost', at: this.clock.now() }),
      ),
    );
    const signaling = this.options.signaling;
    if (signaling) {
      this.unsubscribers.push(
        signaling.subscribe((event) => {
          if (event.type === 'open') this.watchdog.signalOpened();
          else if (event.type === 'frame') this.watchdog.signalFrame();
          else this.watchdog.signalClosed(signaling.isOpen);
        }),
      );
    }
    this.dispatchDevice({ type: 'register-requested', at: this.clock.now() });
    this.watchdog.start();
    this.watchdog.repairNow();
  }

  /** Unregisters and tears everything down (sign-out, window closing). */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.watchdog.stop();
    for (const off of this.unsubscribers.splice(0)) off();
    // A held call answered over is no longer the SDK Device's active call, so destroy() would not end it.
    for (const [id, sdkCall] of this.sdkCalls) {
      if (sdkCall.status() === 'pending' || sdkCall.status() === 'closed') continue;
      this.localHangups.add(id);
      try {
        sdkCall.disconnect();
      } catch (error) {
        this.log('disconnect failed', error);
      }
    }
    this.destroyDevice();
    for (const call of this.state.calls) {
      if (isLive(call)) this.applyCall(call.id, { type: 'failed', at: this.clock.now(), error: { code: null, message: 'The softphone was stopped' } });
    }
    this.dispatchDevice({ type: 'stopped' });
  }

  /** Power resume, unlock, network back: end dead calls, then check the registration now. */
  wake(): void {
    if (!this.started) return;
    this.endDeadCalls();
    if (!this.network.isOnline()) return;
    this.watchdog.wake();
    // The heartbeat kept flowing through a network blip: the registration stands, nothing to repair.
    const device = this.state.device;
    if (device.status === 'offline' && device.reason === 'network' && this.watchdog.status === 'watching' && this.device?.state === 'registered') {
      this.dispatchDevice({ type: 'registered', at: this.clock.now() });
    }
  }

  // ─── Calls ─────────────────────────────────────────────────────────────────────────────────

  /** Places an outgoing call; resolves with its local id once the SDK has the call. */
  async connect(request: { to: string; callerId: string }): Promise<string> {
    const device = this.device;
    if (!device || !canPlaceCalls(this.state.device) || !this.network.isOnline()) {
      throw new VoiceError('offline', 'The phone is not connected, so the call was not placed. Check the connection and try again.');
    }
    if (this.engagedCall()) throw new VoiceError('busy', 'Finish the current call before placing another.');
    const to = request.to.trim();
    if (to === '') throw new VoiceError('invalid-input', 'Enter a number to call.');
    const id = this.newId();
    const params = { To: to, CallerId: request.callerId };
    this.addCall(outgoingCall({ id, from: request.callerId, to, callSid: null, customParameters: params, at: this.clock.now() }));
    let call: SdkCall;
    try {
      call = await device.connect({ params });
    } catch (error) {
      this.applyCall(id, { type: 'failed', at: this.clock.now(), error: toCallError(error) });
      throw new VoiceError('failed', `The call could not be placed: ${toCallError(error).message}`);
    }
    this.sdkCalls.set(id, call);
    this.wireCall(id, call);
    const current = this.findCall(id);
    if (!current || !isLive(current)) {
      // Hung up while the SDK was still setting the call up.
      call.disconnect();
      return id;
    }
    this.applyCall(id, { type: 'placed', at: this.clock.now(), callSid: call.parameters.CallSid ?? null });
    return id;
  }

  accept(callId: string): void {
    const call = this.requireCall(callId);
    if (call.phase.name !== 'ringing') throw new VoiceError('wrong-state', 'This call is no longer ringing.');
    // Answering over a call is allowed only when every other call is fully on hold (music playing).
    const engaged = this.state.calls.filter(isEngaged);
    if (engaged.some((c) => c.hold !== 'held')) throw new VoiceError('busy', 'Hang up or hold the current call before answering another.');
    // With a chosen microphone the SDK gives every call the same microphone track, so the new call
    // would send the held call's music (and resuming would mix both). Answer only when each call gets its own.
    if (engaged.length > 0 && this.device?.audio?.inputDevice) {
      throw new VoiceError('busy', 'Hang up the call on hold before answering another: with a chosen microphone both calls would share it.');
    }
    this.applyCall(callId, { type: 'accept-requested', at: this.clock.now() });
    this.requireSdkCall(callId).accept();
  }

  reject(callId: string): void {
    this.rejectWith(callId, 'user');
  }

  /**
   * Sends a ringing call to voicemail through the cloud (an injected action). Until the app provides
   * `actions.sendToVoicemail`, rejects with a `not-available` VoiceError the UI can show.
   */
  async sendToVoicemail(callId: string): Promise<void> {
    const call = this.requireCall(callId);
    if (call.phase.name !== 'ringing') throw new VoiceError('wrong-state', 'Only a ringing call can be sent to voicemail.');
    const action = this.options.actions?.sendToVoicemail;
    if (!action) throw new VoiceError('not-available', 'Sending to voicemail is not available yet: reject the call instead.');
    this.rejectReasons.set(callId, 'voicemail');
    try {
      await action(call);
    } catch (error) {
      this.rejectReasons.delete(callId);
      throw new VoiceError('failed', `The call could not be sent to voicemail: ${messageOf(error)}`);
    }
    // The cloud redirected the caller; our leg may already be canceled. Make sure it stops ringing here.
    if (this.findCall(callId)?.phase.name === 'ringing') this.rejectWith(callId, 'voicemail');
  }

  hangUp(callId: string): void {
    const call = this.requireCall(callId);
    switch (call.phase.name) {
      case 'ringing':
        this.rejectWith(callId, 'user');
        return;
      case 'dialing':
      case 'connecting':
      case 'open': {
        this.localHangups.add(callId);
        const sdkCall = this.sdkCalls.get(callId);
        if (sdkCall && sdkCall.status() !== 'closed') sdkCall.disconnect();
        // No SDK call yet (still dialing) or it closed without telling: end it here.
        else this.applyCall(callId, { type: 'disconnected', at: this.clock.now(), by: 'local', error: null });
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
    this.applyCall(callId, { type: 'mute-changed', muted: sdkCall.isMuted() });
    // The SDK mutes by disabling the sent track, which would also stop the hold music: keep it flowing.
    // The mute is remembered by the SDK and applies again on resume.
    if (this.findCall(callId)?.hold === 'held') {
      void this.options.holdAudio?.setHeld(sdkCall, true).catch((error: unknown) => this.log('Hold: could not keep the music after mute', error));
    }
  }

  sendDigits(callId: string, digits: string): void {
    if (!DTMF.test(digits)) throw new VoiceError('invalid-input', 'Digits may only be 0–9, * and #.');
    const call = this.requireCall(callId);
    if (call.phase.name !== 'open') throw new VoiceError('wrong-state', 'Digits can be sent only during a connected call.');
    this.requireSdkCall(callId).sendDigits(digits);
  }

  /**
   * Hold or resume in the browser (no conference, see README "Hold"): held, the caller hears the hold
   * loop instead of the microphone and nothing of the caller reaches the speaker; the call stays
   * connected. Resuming a call while another one is live (not held) is refused.
   */
  async setHold(callId: string, hold: boolean): Promise<void> {
    const call = this.requireCall(callId);
    if (call.phase.name !== 'open') throw new VoiceError('wrong-state', 'Only a connected call can be held.');
    const holdAudio = this.options.holdAudio;
    if (!holdAudio) throw new VoiceError('not-available', 'Hold is not available in this window.');
    if (call.hold === 'holding' || call.hold === 'resuming') throw new VoiceError('wrong-state', `The call is still ${call.hold === 'holding' ? 'going on hold' : 'resuming'}.`);
    if ((call.hold === 'held') === hold) return;
    if (!hold && this.state.calls.some((c) => c.id !== callId && isEngaged(c) && c.hold !== 'held')) {
      throw new VoiceError('busy', 'Hang up or hold the other call before resuming this one.');
    }
    const sdkCall = this.requireSdkCall(callId);
    this.applyCall(callId, { type: 'hold-changed', hold: hold ? 'holding' : 'resuming' });
    try {
      await holdAudio.setHeld(sdkCall, hold);
    } catch (error) {
      // Back to where it was, as far as the audio allows; the state says what was asked last.
      await holdAudio.setHeld(sdkCall, !hold).catch(() => undefined);
      this.applyCall(callId, { type: 'hold-changed', hold: hold ? 'off' : 'held' });
      throw new VoiceError('failed', `${hold ? 'Hold' : 'Resume'} failed: ${messageOf(error)}`);
    }
    this.applyCall(callId, { type: 'hold-changed', hold: hold ? 'held' : 'off' });
  }

  /** The cloud (or the recording controls' result) tells the engine the recording state. */
  setRecordingState(callId: string, recording: RecordingState): void {
    this.applyCall(callId, { type: 'recording-changed', recording });
  }

  /** The disposition was stored (or the wrap-up skipped): the call is done. */
  finishWrapUp(callId: string): void {
    this.applyCall(callId, { type: 'wrap-up-finished', at: this.clock.now() });
  }

  /** Global hotkeys and tray items from main that concern the phone itself. */
  handlePhoneCommand(command: PhoneCommand): void {
    try {
      switch (command.kind) {
        case 'answer': {
          const ringing = this.state.calls.find((c) => c.phase.name === 'ringing');
          if (ringing) this.accept(ringing.id);
          return;
        }
        case 'reject': {
          const ringing = this.state.calls.find((c) => c.phase.name === 'ringing');
          if (ringing) this.reject(ringing.id);
          return;
        }
        case 'hangUp': {
          const engaged = this.engagedCall();
          if (engaged) this.hangUp(engaged.id);
          return;
        }
        case 'mute': {
          const engaged = this.engagedCall();
          if (engaged && engaged.phase.name === 'open') this.mute(engaged.id, !engaged.muted);
          return;
        }
        case 'showWindow':
        case 'disposition':
          return; // the UI's business
      }
    } catch (error) {
      this.setState({ problem: messageOf(error) });
    }
  }

  // ─── Audio devices ──────────────────────────────────────────────────────────────────────────

  async setMicrophone(deviceId: string | null): Promise<void> {
    const audio = this.device?.audio;
    this.audioPreferences = { ...this.audioPreferences, microphone: deviceId };
    if (audio) {
      if (deviceId) await audio.setInputDevice(deviceId);
      else await audio.unsetInputDevice();
    }
    this.refreshAudio();
  }

  async setSpeakers(deviceIds: readonly string[]): Promise<void> {
    this.audioPreferences = { ...this.audioPreferences, speakers: [...deviceIds] };
    const audio = this.device?.audio;
    if (audio?.isOutputSelectionSupported) await audio.speakerDevices.set(availableOutputs(deviceIds, audio.availableOutputDevices));
    this.refreshAudio();
  }

  /** Several ringers allowed: the ringtone plays on all of them. */
  async setRingers(deviceIds: readonly string[]): Promise<void> {
    this.audioPreferences = { ...this.audioPreferences, ringers: [...deviceIds] };
    const audio = this.device?.audio;
    if (audio?.isOutputSelectionSupported) await audio.ringtoneDevices.set(availableOutputs(deviceIds, audio.availableOutputDevices));
    this.refreshAudio();
  }

  /** 'Test my ringer': plays the local ringtone on the chosen ringer outputs. */
  async testRinger(): Promise<void> {
    const audio = this.device?.audio;
    if (!audio) throw new VoiceError('not-available', 'The phone is still starting; try again in a moment.');
    await audio.ringtoneDevices.test(localSounds(this.options.soundsBaseUrl).incoming);
  }

  get preferences(): AudioPreferences {
    return this.audioPreferences;
  }

  // ─── Device internals ───────────────────────────────────────────────────────────────────────

  private deviceOptions(config: VoiceConfig): SdkDeviceOptions {
    return {
      ...(config.chunderw ? { chunderw: config.chunderw } : {}),
      ...(config.eventgw ? { eventgw: config.eventgw } : {}),
      publishEvents: false,
      closeProtection: false,
      allowIncomingWhileBusy: true,
      codecPreferences: ['opus', 'pcmu'],
      sounds: localSounds(this.options.soundsBaseUrl),
      tokenRefreshMs: 30_000,
      appName: 'aesthetix-softphone',
    };
  }

  /** The watchdog's repair: a brand-new Device with a fresh token, registered. */
  private async rebuildDevice(): Promise<void> {
    if (this.state.calls.some(isLive)) throw new Error('A call is in progress');
    this.destroyDevice();
    this.dispatchDevice({ type: 'register-requested', at: this.clock.now() });
    if (!this.network.isOnline()) {
      this.dispatchDevice({ type: 'network-lost', at: this.clock.now() });
      throw new Error('No network connection');
    }
    const config = this.config ?? (await this.loadConfig());
    const token = await this.freshToken();
    if (!this.started) throw new Error('Stopped');
    const device = this.options.createDevice(token.token, this.deviceOptions(config));
    this.device = device;
    this.setState({ identity: token.identity });
    this.attachDevice(device);
    if (device.audio && this.options.holdAudio) {
      await this.options.holdAudio.install(device.audio).catch((error: unknown) => this.log('Hold: could not add the audio processor; hold is unavailable', error));
    }
    if (device.audio) {
      await applyAudioPreferences(device.audio, this.audioPreferences).catch((error: unknown) => this.log('Could not apply audio preferences', error));
    }
    this.refreshAudio();
    await device.register();
  }

  /** The watchdog's probe: a register round trip on the current Device. */
  private async probe(): Promise<void> {
    const device = this.device;
    if (!device) throw new Error('No device');
    if (device.state === 'registered') {
      this.unregisteringDevice = device;
      try {
        await device.unregister();
      } finally {
        if (this.unregisteringDevice === device) this.unregisteringDevice = null;
      }
    }
    if (this.device !== device) throw new Error('The device was replaced');
    if (device.state === 'unregistered') {
      await device.register();
      return;
    }
    throw new Error(`The device is ${device.state}`);
  }

  private async loadConfig(): Promise<VoiceConfig> {
    const result = await this.options.bridge.voice.getConfig();
    if (!result.ok) throw new Error(`No voice configuration: ${result.error.message}`);
    this.config = result.value;
    return result.value;
  }

  private async freshToken(): Promise<VoiceTokenView> {
    if (this.token && this.token.expiresAt - this.clock.now() > TOKEN_MARGIN_MS) return this.token;
    const result = await this.options.bridge.voice.getToken();
    if (!result.ok || !result.value) {
      const message = result.ok ? 'Not signed in: no phone token' : `No phone token: ${result.error.message}`;
      this.dispatchDevice({ type: 'token-failed', at: this.clock.now(), message });
      throw new Error(message);
    }
    this.token = result.value;
    return result.value;
  }

  /** A token pushed by main's refresh timer (or fetched after tokenWillExpire). */
  private acceptToken(token: VoiceTokenView): void {
    this.token = token;
    this.setState({ identity: token.identity });
    const device = this.device;
    if (device && device.state !== 'destroyed') {
      try {
        device.updateToken(token.token);
      } catch (error) {
        this.log('updateToken failed', error);
      }
    }
    // Waiting for a token (signed out, or main could not refresh): now there is one.
    if (this.state.device.status === 'offline' && this.state.device.reason === 'token') this.watchdog.repairNow();
  }

  private async refreshTokenFromMain(): Promise<void> {
    const result = await this.options.bridge.voice.getToken();
    if (result.ok && result.value) this.acceptToken(result.value);
    else {
      const message = result.ok ? 'Not signed in: no phone token' : `No phone token: ${result.error.message}`;
      this.dispatchDevice({ type: 'token-failed', at: this.clock.now(), message });
    }
  }

  private attachDevice(device: SdkDevice): void {
    const evidence = () => {
      if (this.device === device) this.watchdog.evidence();
    };
    const handlers: Record<string, (...args: never[]) => void> = {
      registering: evidence,
      registered: () => {
        if (this.device !== device) return;
        this.watchdog.registered();
        this.dispatchDevice({ type: 'registered', at: this.clock.now() });
      },
      unregistered: () => {
        if (this.device !== device || this.unregisteringDevice === device) return;
        this.watchdog.evidence();
        this.dispatchDevice({ type: 'registration-lost', at: this.clock.now() });
        this.watchdog.registrationLost();
      },
      error: (error: SdkError, call?: SdkCall) => {
        if (this.device !== device) return;
        evidence();
        const callError = toCallError(error);
        const id = call ? this.idOf(call) : undefined;
        if (id) this.collectEnd(id, call!, { error: callError });
        if (callError.code !== null && TOKEN_ERROR_CODES.has(callError.code)) {
          this.token = null;
          void this.refreshTokenFromMain();
        } else if (!id) {
          this.log('Device error', error);
        }
      },
      incoming: (call: SdkCall) => {
        if (this.device !== device) return;
        evidence();
        this.addIncoming(call);
      },
      tokenWillExpire: () => {
        evidence();
        void this.refreshTokenFromMain();
      },
    };
    for (const [event, handler] of Object.entries(handlers)) device.on(event, handler);
    const audio = device.audio;
    const onDeviceChange = () => this.refreshAudio();
    audio?.on('deviceChange', onDeviceChange);
    this.detachDevice = () => {
      for (const [event, handler] of Object.entries(handlers)) device.removeListener(event, handler);
      audio?.removeListener('deviceChange', onDeviceChange);
    };
  }

  private destroyDevice(): void {
    const device = this.device;
    if (!device) return;
    this.detachDevice?.();
    this.detachDevice = null;
    this.device = null;
    this.unregisteringDevice = null;
    try {
      device.destroy();
    } catch (error) {
      this.log('Device.destroy failed', error);
    }
  }

  // ─── Call internals ─────────────────────────────────────────────────────────────────────────

  private addIncoming(call: SdkCall): void {
    const id = this.newId();
    this.sdkCalls.set(id, call);
    this.addCall(
      incomingCall({
        id,
        from: call.parameters.From ?? '',
        to: call.parameters.To ?? '',
        callSid: call.parameters.CallSid ?? null,
        customParameters: paramsRecord(call.customParameters),
        at: this.clock.now(),
      }),
    );
    this.wireCall(id, call);
  }

  private wireCall(id: string, call: SdkCall): void {
    const now = () => this.clock.now();
    const sid = () => call.parameters.CallSid ?? null;
    const evidence = () => this.watchdog.evidence();
    const handlers: Record<string, (...args: never[]) => void> = {
      accept: () => {
        evidence();
        this.applyCall(id, { type: 'accepted', at: now(), callSid: sid() });
      },
      ringing: () => {
        evidence();
        this.applyCall(id, { type: 'remote-ringing', at: now(), callSid: sid() });
      },
      cancel: () => {
        evidence();
        // A call we sent to voicemail is canceled by the cloud's redirect: that is the voicemail ending.
        const reason = this.rejectReasons.get(id);
        this.applyCall(id, reason ? { type: 'rejected', at: now(), reason } : { type: 'canceled', at: now() });
      },
      reject: () => this.applyCall(id, { type: 'rejected', at: now(), reason: this.rejectReasons.get(id) ?? 'user' }),
      disconnect: () => {
        evidence();
        this.collectEnd(id, call, { disconnected: true });
      },
      error: (error: SdkError) => this.collectEnd(id, call, { error: toCallError(error) }),
      transportClose: () => this.collectEnd(id, call, { transportClosed: true }),
      reconnecting: (error: SdkError) => this.applyCall(id, { type: 'reconnecting', at: now(), error: error ? toCallError(error) : null }),
      reconnected: () => {
        evidence();
        this.applyCall(id, { type: 'reconnected', at: now() });
      },
      warning: (name: string) => this.applyCall(id, { type: 'warning', at: now(), name }),
      'warning-cleared': (name: string) => this.applyCall(id, { type: 'warning-cleared', at: now(), name }),
      mute: (muted: boolean) => this.applyCall(id, { type: 'mute-changed', muted }),
    };
    for (const [event, handler] of Object.entries(handlers)) call.on(event, handler);
    this.detachCalls.set(id, () => {
      for (const [event, handler] of Object.entries(handlers)) call.removeListener(event, handler);
    });
  }

  /**
   * The SDK reports an ending in pieces within one turn: a gateway hangup emits `error` then
   * `disconnect`; a failed getUserMedia emits `disconnect` then `error`; a lost socket without a
   * reconnect token closes the call with no `disconnect` at all. Collect the turn, then decide.
   */
  private collectEnd(id: string, call: SdkCall, part: { error?: CallError; disconnected?: true; transportClosed?: true }): void {
    let pending = this.pendingEnds.get(id);
    if (!pending) {
      pending = { errors: [], disconnected: false, transportClosed: false };
      this.pendingEnds.set(id, pending);
      queueMicrotask(() => this.flushEnd(id, call));
    }
    if (part.error) pending.errors.push(part.error);
    if (part.disconnected) pending.disconnected = true;
    if (part.transportClosed) pending.transportClosed = true;
  }

  private flushEnd(id: string, call: SdkCall): void {
    const pending = this.pendingEnds.get(id);
    this.pendingEnds.delete(id);
    if (!pending) return;
    const at = this.clock.now();
    const error = pending.errors.at(-1) ?? null;
    if (pending.disconnected) {
      this.applyCall(id, { type: 'disconnected', at, by: this.localHangups.has(id) ? 'local' : 'remote', error });
      return;
    }
    const current = this.findCall(id);
    if (current && isLive(current) && call.status() === 'closed') {
      this.applyCall(id, { type: 'failed', at, error: error ?? { code: null, message: 'The connection to the call was lost' } });
      return;
    }
    for (const e of pending.errors) this.applyCall(id, { type: 'error', at, error: e });
  }

  /** After a sleep or a network change: a call the SDK closed without telling us is over. */
  private endDeadCalls(): void {
    for (const call of this.state.calls) {
      const sdkCall = this.sdkCalls.get(call.id);
      if (isLive(call) && sdkCall && sdkCall.status() === 'closed') {
        this.applyCall(call.id, { type: 'failed', at: this.clock.now(), error: { code: null, message: 'The call was lost while the computer was asleep or offline' } });
      }
    }
  }

  private rejectWith(callId: string, reason: RejectReason): void {
    const call = this.requireCall(callId);
    if (call.phase.name !== 'ringing') throw new VoiceError('wrong-state', 'This call is no longer ringing.');
    this.rejectReasons.set(callId, reason);
    const sdkCall = this.sdkCalls.get(callId);
    if (sdkCall && sdkCall.status() === 'pending') sdkCall.reject();
    // The SDK emits `reject` synchronously; if it did not (the call was already closed), end it here.
    if (this.findCall(callId)?.phase.name === 'ringing') this.applyCall(callId, { type: 'rejected', at: this.clock.now(), reason });
  }

  /** The call the receptionist is talking on: a call not on hold first, else the held one. */
  private engagedCall(): CallState | undefined {
    return this.state.calls.find((c) => isEngaged(c) && c.hold !== 'held') ?? this.state.calls.find(isEngaged);
  }

  private findCall(id: string): CallState | undefined {
    return this.state.calls.find((c) => c.id === id) ?? (this.state.lastEnded?.id === id ? this.state.lastEnded : undefined);
  }

  private requireCall(id: string): CallState {
    const call = this.state.calls.find((c) => c.id === id);
    if (!call) throw new VoiceError('no-such-call', 'That call has ended.');
    return call;
  }

  private requireSdkCall(id: string): SdkCall {
    this.requireCall(id);
    const call = this.sdkCalls.get(id);
    if (!call) throw new VoiceError('wrong-state', 'The call is still being set up.');
    return call;
  }

  private idOf(call: SdkCall): string | undefined {
    for (const [id, c] of this.sdkCalls) if (c === call) return id;
    return undefined;
  }

  private addCall(call: CallState): void {
    this.setState({ calls: [...this.state.calls, call] });
  }

  private applyCall(id: string, event: CallEvent): void {
    const index = this.state.calls.findIndex((c) => c.id === id);
    if (index < 0) return;
    const before = this.state.calls[index]!;
    const after = callTransition(before, event);
    if (after === before) return;
    const wasLive = isLive(before);
    if (after.phase.name === 'done') {
      this.forgetCall(id);
      this.setState({ calls: this.state.calls.filter((c) => c.id !== id), lastEnded: after });
    } else {
      const calls = [...this.state.calls];
      calls[index] = after;
      this.setState({ calls });
    }
    if (wasLive && !isLive(after)) {
      const sdkCall = this.sdkCalls.get(id);
      if (sdkCall) this.options.holdAudio?.release(sdkCall);
      this.detachCalls.get(id)?.();
      this.detachCalls.delete(id);
      this.sdkCalls.delete(id);
      if (!this.state.calls.some(isLive)) this.watchdog.callsEnded();
    }
  }

  private forgetCall(id: string): void {
    this.detachCalls.get(id)?.();
    this.detachCalls.delete(id);
    this.sdkCalls.delete(id);
    this.localHangups.delete(id);
    this.rejectReasons.delete(id);
    this.pendingEnds.delete(id);
  }

  private dispatchDevice(event: DeviceEvent): void {
    const device = deviceTransition(this.state.device, event);
    if (device === this.state.device) return;
    // Registered again: whatever went wrong before is no longer worth showing.
    this.setState(device.status === 'registered' ? { device, problem: null } : { device });
  }

  private refreshAudio(): void {
    this.setState({ audio: readAudioDevices(this.device?.audio ?? null) });
  }

  private setState(patch: Partial<VoiceEngineState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) {
      try {
        listener(this.state);
      } catch (error) {
        this.log('A voice state listener failed', error);
      }
    }
  }
}
