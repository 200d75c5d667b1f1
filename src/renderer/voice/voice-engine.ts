import type { PhoneCommand, VoiceTokenView } from '../../shared/ipc';
import { AnswerWindow } from './answer-window';
import { AudioRouting } from './audio-routing';
import type { AudioPreferences } from './audio-devices';
import { callTransition, incomingCall, isLive, type CallEvent, type CallState, type RecordingState } from './call-machine';
import { SdkCallTracker, toCallError } from './call-tracker';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { deviceTransition, type DeviceEvent } from './device-machine';
import { DeviceHost, deviceOptions } from './device-host';
import { arrivalAction, EARLY_RING_TIMEOUT_MS } from './early-ring';
import { browserNetwork, type NetworkEvents, type VoiceEngineOptions, type VoiceLog } from './engine-ports';
import { EngineStateStore, type VoiceEngineState } from './engine-state';
import type { HoldAudio } from './hold-audio';
import { PhoneCommands } from './phone-commands';
import type { SdkCall, SdkError } from './sdk-port';
import type { SignalingInvite } from './signaling-monitor';
import { isTokenError, TokenSource } from './token-source';
import { RegistrationWatchdog } from './watchdog';
import type { PeerConnections } from './peer-connections';
import type { MicrophoneWarmer } from './warm-microphone';
import { consoleVoiceLog } from './console-log';
import type { VoiceError } from './voice-error';
import { afterFrameOnScreen } from './after-paint';

export type { CallActions, NetworkEvents, PrefetchedVoice, VoiceBridge, VoiceEngineOptions } from './engine-ports';
export type { VoiceEngineState } from './engine-state';
export { VoiceError, type VoiceErrorCode } from './voice-error';

/** How long after the Device registers the hold loop is fetched and decoded (a Hold before then loads it itself). */
const HOLD_MUSIC_AFTER_READY_MS = 1_000;

/**
 * The VoiceEngine: owns the Twilio Device, its registration watchdog and every call. The UI reads
 * `getState()`/`subscribe()` (or `useVoiceStore`) and calls the commands; nothing else touches the SDK.
 *
 * A façade over its parts: the token source (config and tokens from main), the device host (the one
 * SDK Device), the call tracker (one record per SDK call), audio routing (device choices) and the
 * phone commands. What is left here is the wiring, the lifecycle, the watchdog's repair, and the
 * one place call and device events change the state.
 */
export class VoiceEngine {
  private readonly store: EngineStateStore;
  private readonly clock: Clock;
  private readonly network: NetworkEvents;
  private readonly log: VoiceLog;
  private readonly holdAudio: HoldAudio | null;
  private readonly microphone: MicrophoneWarmer | null;
  private readonly peerConnections: PeerConnections | null;
  private readonly watchdog: RegistrationWatchdog;
  private readonly tokens: TokenSource;
  private readonly host: DeviceHost;
  private readonly tracker: SdkCallTracker;
  private readonly audio: AudioRouting;
  private readonly commands: PhoneCommands;
  private readonly answerWindow: AnswerWindow;
  private readonly newId: () => string;
  private unsubscribers: Array<() => void> = [];
  /** Calls shown from the edge's invite whose SDK Call has not come yet, by CallSid (early-ring.ts). */
  private readonly early = new Map<string, { id: string; timer: TimerHandle }>();
  private started = false;

  constructor(private readonly options: VoiceEngineOptions) {
    const clock = (this.clock = options.clock ?? systemClock);
    const now = () => clock.now();
    this.network = options.network ?? browserNetwork;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.log = options.log ?? consoleVoiceLog;
    this.holdAudio = options.holdAudio ?? null;
    this.microphone = options.microphone ?? null;
    this.peerConnections = options.peerConnections ?? null;
    this.store = new EngineStateStore(this.log);
    this.answerWindow = new AnswerWindow(this.store, clock, this.peerConnections, this.log);
    this.watchdog = new RegistrationWatchdog(
      {
        clock,
        hasLiveCall: () => this.store.hasLiveCall(),
        endDeadCalls: () => this.tracker.endDeadCalls(this.store.get().calls),
        probe: () => this.host.probe(),
        repair: () => this.rebuildDevice(),
        onSuspect: (reason) => this.dispatchDevice({ type: 'health-suspect', at: now(), reason }),
        onHealthy: () => this.dispatchDevice({ type: 'registered', at: now() }),
        onRepairFailed: (message, retryInMs) => {
          this.store.set({ problem: retryInMs > 0 ? `${message} — retrying in ${Math.round(retryInMs / 1000)} s` : `${message} — retrying` });
          if (this.store.get().device.status !== 'offline') this.dispatchDevice({ type: 'register-failed', at: now(), message });
        },
      },
      options.watchdog,
    );
    this.tokens = new TokenSource(
      {
        bridge: options.bridge.voice,
        clock,
        onFailed: (message) => this.dispatchDevice({ type: 'token-failed', at: now(), message }),
        onToken: (token) => this.tokenArrived(token),
      },
      options.prefetched,
    );
    this.host = new DeviceHost(
      options.createDevice,
      {
        evidence: () => this.watchdog.evidence(),
        registered: () => {
          this.watchdog.registered();
          this.dispatchDevice({ type: 'registered', at: now() });
        },
        registrationLost: () => {
          this.dispatchDevice({ type: 'registration-lost', at: now() });
          this.watchdog.registrationLost();
        },
        error: (error, call) => this.deviceError(error, call),
        incoming: (call) => this.addIncoming(call),
        tokenWillExpire: () => void this.tokens.refresh(),
        audioDevicesChanged: () => this.audio.refresh(),
      },
      this.log,
    );
    this.tracker = new SdkCallTracker({
      now,
      find: (id) => this.store.find(id),
      apply: (id, event) => this.applyCall(id, event),
      evidence: () => this.watchdog.evidence(),
      log: this.log,
    });
    this.audio = new AudioRouting({ audio: () => this.host.audio, onChange: (audio) => this.store.set({ audio }), ...(options.soundsBaseUrl ? { soundsBaseUrl: options.soundsBaseUrl } : {}) }, options.audioPreferences);
    this.commands = new PhoneCommands({
      store: this.store,
      tracker: this.tracker,
      device: () => this.host.current,
      network: this.network,
      holdAudio: this.holdAudio,
      actions: options.actions,
      now,
      newId: this.newId,
      log: this.log,
      add: (call) => this.addCall(call),
      apply: (id, event) => this.applyCall(id, event),
      awaitingSdk: (id) => [...this.early.values()].some((e) => e.id === id),
    });
  }

  // ─── Observing ──────────────────────────────────────────────────────────────────────────────

  getState(): VoiceEngineState {
    return this.store.get();
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: (state: VoiceEngineState) => void): () => void {
    return this.store.subscribe(listener);
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
    const { bridge, signaling } = this.options;
    this.unsubscribers.push(
      bridge.on('voice.token', (token) => this.tokens.accept(token)),
      bridge.on('phone.wake', () => this.wake()),
      this.network.subscribe(
        () => this.wake(),
        () => this.dispatchDevice({ type: 'network-lost', at: this.clock.now() }),
      ),
    );
    if (signaling) {
      this.unsubscribers.push(
        signaling.subscribe((event) => {
          if (event.type === 'open') this.watchdog.signalOpened();
          else if (event.type === 'frame') this.watchdog.signalFrame();
          else if (event.type === 'invite') {
            if (event.invite) this.ringFromInvite(event.invite);
          } else this.watchdog.signalClosed(signaling.isOpen);
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
    for (const { timer } of this.early.values()) this.clock.clearTimeout(timer);
    this.early.clear();
    this.microphone?.release();
    this.peerConnections?.release();
    this.tracker.disconnectAll();
    this.host.destroy();
    for (const call of this.store.get().calls) {
      if (isLive(call)) this.applyCall(call.id, { type: 'failed', at: this.clock.now(), error: { code: null, message: 'The softphone was stopped' } });
    }
    this.dispatchDevice({ type: 'stopped' });
    this.answerWindow.close();
  }

  /** Power resume, unlock, network back: end dead calls, then check the registration now. */
  wake(): void {
    if (!this.started) return;
    this.tracker.endDeadCalls(this.store.get().calls);
    if (!this.network.isOnline()) return;
    this.watchdog.wake();
    // The heartbeat kept flowing through a network blip: the registration stands, nothing to repair.
    const device = this.store.get().device;
    if (device.status === 'offline' && device.reason === 'network' && this.watchdog.status === 'watching' && this.host.current?.state === 'registered') {
      this.dispatchDevice({ type: 'registered', at: this.clock.now() });
    }
  }

  // ─── Commands (see phone-commands.ts and audio-routing.ts) ──────────────────────────────────

  /** Places an outgoing call; resolves with its local id once the SDK has the call. */
  connect(request: { to: string; callerId: string; taskId?: string }): Promise<string> {
    return this.commands.connect(request);
  }
  accept(callId: string): void {
    this.commands.accept(callId);
  }
  reject(callId: string): void {
    this.commands.reject(callId);
  }
  /** Through the injected cloud action; `not-available` until the app provides it. */
  sendToVoicemail(callId: string): Promise<void> {
    return this.commands.sendToVoicemail(callId);
  }
  hangUp(callId: string): void {
    this.commands.hangUp(callId);
  }
  mute(callId: string, muted: boolean): void {
    this.commands.mute(callId, muted);
  }
  sendDigits(callId: string, digits: string): void {
    this.commands.sendDigits(callId, digits);
  }
  /** Hold or resume in the browser (README "Hold"). */
  setHold(callId: string, hold: boolean): Promise<void> {
    return this.commands.setHold(callId, hold);
  }
  setRecordingState(callId: string, recording: RecordingState): void {
    this.commands.setRecordingState(callId, recording);
  }
  finishWrapUp(callId: string): void {
    this.commands.finishWrapUp(callId);
  }
  /** Global hotkeys and tray items from main that concern the phone itself: the refusal, or null. */
  handlePhoneCommand(command: PhoneCommand): VoiceError | null {
    return this.commands.handlePhoneCommand(command);
  }
  setMicrophone(deviceId: string | null): Promise<void> {
    return this.audio.setMicrophone(deviceId);
  }
  setSpeakers(deviceIds: readonly string[]): Promise<void> {
    return this.audio.setSpeakers(deviceIds);
  }
  /** Several ringers allowed: the ringtone plays on all of them. */
  setRingers(deviceIds: readonly string[]): Promise<void> {
    return this.audio.setRingers(deviceIds);
  }
  testRinger(): Promise<void> {
    return this.audio.testRinger();
  }
  get preferences(): AudioPreferences {
    return this.audio.preferences;
  }

  // ─── The Device ─────────────────────────────────────────────────────────────────────────────

  /** The watchdog's repair: a brand-new Device with a fresh token, registered. */
  private async rebuildDevice(): Promise<void> {
    if (this.store.hasLiveCall()) throw new Error('A call is in progress');
    this.host.destroy();
    this.dispatchDevice({ type: 'register-requested', at: this.clock.now() });
    if (!this.network.isOnline()) {
      this.dispatchDevice({ type: 'network-lost', at: this.clock.now() });
      throw new Error('No network connection');
    }
    // Both from main at once: one round trip to main fewer before the Device can register.
    const asked = Promise.all([this.tokens.getConfig(), this.tokens.fresh()]);
    try {
      this.options.prepareDevice?.();
    } catch (error) {
      this.log('Could not prepare the Device ahead of its token', error);
    }
    const [config, token] = await asked;
    if (!this.started) throw new Error('Stopped');
    const microphone = this.microphone;
    const options = deviceOptions(config, this.options.soundsBaseUrl);
    // Answering then takes the microphone opened while ringing instead of opening it again.
    if (microphone) options.getUserMedia = (constraints) => microphone.getUserMedia(constraints);
    // A spare peer connection made while ringing, and ICE reported to the answer window (peer-connections.ts).
    if (this.peerConnections) options.RTCPeerConnection = this.peerConnections.peerConnectionClass;
    const device = this.host.create(token.token, options);
    this.store.set({ identity: token.identity });
    if (device.audio && this.holdAudio) {
      await this.holdAudio.install(device.audio).catch((error: unknown) => this.log('Hold: could not add the audio processor; hold is unavailable', error));
    }
    if (device.audio) {
      await this.audio.applyTo(device.audio).catch((error: unknown) => this.log('Could not apply audio preferences', error));
    }
    this.audio.refresh();
    await device.register();
    // Off the path to "Ready for calls": the SDK's sounds are made once it is on screen (a ring
    // before then makes the ringtone itself), and the hold loop is decoded a second later.
    afterFrameOnScreen(() => {
      if (this.started && this.host.current === device) this.options.loadDeviceSounds?.(device);
    });
    this.clock.setTimeout(() => this.started && this.holdAudio?.preload(), HOLD_MUSIC_AFTER_READY_MS);
  }

  /** A token pushed by main's refresh timer (or fetched after tokenWillExpire). */
  private tokenArrived(token: VoiceTokenView): void {
    this.store.set({ identity: token.identity });
    this.host.updateToken(token.token);
    // Waiting for a token (signed out, or main could not refresh): now there is one.
    const device = this.store.get().device;
    if (device.status === 'offline' && device.reason === 'token') this.watchdog.repairNow();
  }

  private deviceError(error: SdkError, call: SdkCall | undefined): void {
    const callError = toCallError(error);
    const id = call ? this.tracker.idOf(call) : undefined;
    if (id && call) this.tracker.collectEnd(id, call, { error: callError });
    if (isTokenError(callError.code)) void this.tokens.replace();
    else if (!id) this.log('Device error', error);
  }

  private dispatchDevice(event: DeviceEvent): void {
    const before = this.store.get().device;
    const device = deviceTransition(before, event);
    if (device === before) return;
    // Registered again: whatever went wrong before is no longer worth showing.
    this.store.set(device.status === 'registered' ? { device, problem: null } : { device });
  }

  // ─── Calls: the one place their state changes ───────────────────────────────────────────────

  /**
   * The edge's invite: the call rings on screen now, before the SDK has built its Call and started
   * its ringtone. `addIncoming` attaches the SDK's Call; if none comes, the call is given up.
   */
  private ringFromInvite(invite: SignalingInvite): void {
    if (!this.started || this.early.has(invite.callSid) || this.store.get().calls.some((c) => c.callSid === invite.callSid)) return;
    const id = this.newId();
    const timer = this.clock.setTimeout(() => {
      if (this.early.get(invite.callSid)?.id !== id) return;
      this.early.delete(invite.callSid);
      this.applyCall(id, { type: 'failed', at: this.clock.now(), error: { code: null, message: 'The phone could not set up this call' } });
    }, EARLY_RING_TIMEOUT_MS);
    this.early.set(invite.callSid, { id, timer });
    this.addCall(incomingCall({ id, from: invite.from, to: invite.to, callSid: invite.callSid, customParameters: invite.customParameters, at: this.clock.now() }));
  }

  private addIncoming(sdk: SdkCall): void {
    const sid = sdk.parameters.CallSid;
    const early = sid ? this.early.get(sid) : undefined;
    if (sid && early) {
      this.early.delete(sid);
      this.clock.clearTimeout(early.timer);
      this.attachEarly(early.id, sdk);
      return;
    }
    const id = this.newId();
    this.tracker.track(id, sdk);
    this.addCall(
      incomingCall({
        id,
        from: sdk.parameters.From ?? '',
        to: sdk.parameters.To ?? '',
        callSid: sdk.parameters.CallSid ?? null,
        customParameters: sdk.customParameters ? Object.fromEntries(sdk.customParameters.entries()) : {},
        at: this.clock.now(),
      }),
    );
  }

  /** The SDK's Call for a call already ringing from its invite: catch up with what happened meanwhile. */
  private attachEarly(id: string, sdk: SdkCall): void {
    const action = arrivalAction(this.store.find(id), sdk.status());
    try {
      if (action === 'reject') {
        if (sdk.status() === 'pending') sdk.reject();
        return;
      }
      this.tracker.track(id, sdk);
      if (action === 'canceled') this.applyCall(id, { type: 'canceled', at: this.clock.now() });
      else if (action === 'accept') sdk.accept();
    } catch (error) {
      this.applyCall(id, { type: 'failed', at: this.clock.now(), error: toCallError(error) });
    }
  }

  private addCall(call: CallState): void {
    this.store.set({ calls: [...this.store.get().calls, call] });
    this.warmForAnswer();
  }

  /**
   * The microphone is kept open while an incoming call rings or is being answered, so the answer
   * does not wait for it (warm-microphone.ts), and closed otherwise. Not needed when the SDK's
   * AudioHelper holds the receptionist's chosen microphone: the SDK then opens none on accept.
   * A spare peer connection is kept the same way (peer-connections.ts).
   */
  private warmForAnswer(): void {
    const answering = this.store.get().calls.some((c) => c.direction === 'incoming' && (c.phase.name === 'ringing' || c.phase.name === 'connecting'));
    if (answering) this.peerConnections?.warm();
    else this.peerConnections?.release();
    if (!this.microphone) return;
    if (answering && !this.host.audio?.inputDevice) this.microphone.warm();
    else this.microphone.release();
  }

  private applyCall(id: string, event: CallEvent): void {
    const { calls } = this.store.get();
    const index = calls.findIndex((c) => c.id === id);
    if (index < 0) return;
    const before = calls[index]!;
    const after = callTransition(before, event);
    if (after === before) return;
    // The Device has just started polling the microphone level for an event nobody here hears.
    if (after.phase.name === 'open' && before.phase.name !== 'open') this.audio.stopUnheardInputVolume();
    // Answering: the listeners hear of it once the call's media is up (answer-window.ts).
    if (before.phase.name === 'ringing' && after.phase.name === 'connecting' && this.tracker.sdkCall(id)) this.answerWindow.open(id);
    else if (before.phase.name === 'connecting' && after.phase.name !== 'connecting') this.answerWindow.left(id, after.phase.name !== 'open');
    if (after.phase.name === 'done') {
      this.tracker.forget(id);
      this.store.set({ calls: calls.filter((c) => c.id !== id), lastEnded: after });
    } else {
      const next = [...calls];
      next[index] = after;
      this.store.set({ calls: next });
    }
    if (before.phase.name !== after.phase.name) this.warmForAnswer();
    if (isLive(before) && !isLive(after)) {
      const sdk = this.tracker.release(id);
      if (sdk) this.holdAudio?.release(sdk);
      if (!this.store.hasLiveCall()) {
        this.watchdog.callsEnded();
        void this.audio.releaseSdkSelection().catch((error: unknown) => this.log('Could not release the microphone the SDK selected', error));
      }
    }
  }
}
