import { emptyAudioDevicesView, type AudioDevicesView } from './audio-devices';
import { isEngaged, isLive, type CallState } from './call-machine';
import { initialDeviceState, type DeviceState } from './device-machine';
import type { VoiceLog } from './engine-ports';
import { VoiceError } from './voice-error';

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

export const initialEngineState: VoiceEngineState = {
  device: initialDeviceState,
  calls: [],
  lastEnded: null,
  identity: null,
  audio: emptyAudioDevicesView,
  problem: null,
};

/** The call the receptionist is talking on: a call not on hold first, else the held one. */
export const engagedCall = (calls: readonly CallState[]): CallState | undefined =>
  calls.find((c) => isEngaged(c) && c.hold !== 'held') ?? calls.find(isEngaged);

/**
 * The two-call rule: the one ringing call that the answer / reject / voicemail keys act on — the
 * window's keys, main's global hotkeys and the tray's Answer and Reject alike — is the ringing call
 * that rang first (calls are kept in arrival order). Another ringing call is answered by its own
 * buttons; once the first stops ringing, the keys move on to the next.
 */
export const ringingKeysTarget = (calls: readonly CallState[]): CallState | undefined => calls.find((c) => c.phase.name === 'ringing');

/**
 * The engine's observable state: one immutable value replaced on every change, and its listeners.
 * The lookups here are what every part of the engine asks of it.
 */
export class EngineStateStore {
  private state: VoiceEngineState = initialEngineState;
  private readonly listeners = new Set<(state: VoiceEngineState) => void>();
  private held = false;
  private unheard = false;

  constructor(private readonly log: VoiceLog) {}

  get(): VoiceEngineState {
    return this.state;
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: (state: VoiceEngineState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(patch: Partial<VoiceEngineState>): void {
    this.state = { ...this.state, ...patch };
    if (this.held) {
      this.unheard = true;
      return;
    }
    this.notify();
  }

  /**
   * Listeners stop hearing of changes (the state itself changes as always) until `release()`, which
   * tells them once of the latest state if anything changed meanwhile. For the answer (answer-window.ts).
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.unheard) {
      this.unheard = false;
      this.notify();
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(this.state);
      } catch (error) {
        this.log('A voice state listener failed', error);
      }
    }
  }

  /** A call not yet done, or the one that ended last. */
  find(id: string): CallState | undefined {
    return this.state.calls.find((c) => c.id === id) ?? (this.state.lastEnded?.id === id ? this.state.lastEnded : undefined);
  }

  /** A call not yet done, or a `no-such-call` refusal. */
  require(id: string): CallState {
    const call = this.state.calls.find((c) => c.id === id);
    if (!call) throw new VoiceError('no-such-call', 'That call has ended.');
    return call;
  }

  engaged(): CallState | undefined {
    return engagedCall(this.state.calls);
  }

  hasLiveCall(): boolean {
    return this.state.calls.some(isLive);
  }
}
