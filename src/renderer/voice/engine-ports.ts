import type { EventPayload, IpcResult, VoiceConfig, VoiceTokenView } from '../../shared/ipc';
import type { AudioPreferences } from './audio-devices';
import type { CallState } from './call-machine';
import type { Clock } from './clock';
import type { HoldAudio } from './hold-audio';
import type { PeerConnections } from './peer-connections';
import type { DeviceFactory, SdkDevice } from './sdk-port';
import type { SignalingSource } from './signaling-monitor';
import type { MicrophoneWarmer } from './warm-microphone';
import type { WatchdogOptions } from './watchdog';

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

export const browserNetwork: NetworkEvents = {
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

export type VoiceLog = (message: string, detail?: unknown) => void;

/** What `VoiceEngineOptions.prefetched` carries. */
export interface PrefetchedVoice {
  config: VoiceConfig;
  token: VoiceTokenView;
}

export interface VoiceEngineOptions {
  bridge: VoiceBridge;
  createDevice: DeviceFactory;
  /**
   * Work a new Device would do in its constructor that needs no token (`startVoice` passes the
   * SDK's AudioContext): called while main is asked for the token, so it is done by the time the
   * token arrives instead of after (issue #21).
   */
  prepareDevice?: () => void;
  /**
   * Makes the Device's sounds, which its constructor leaves for later (`startVoice` passes
   * loadTwilioDeviceSounds): called once "Ready for calls" is on screen after a register.
   */
  loadDeviceSounds?: (device: SdkDevice) => void;
  /**
   * The edge configuration and a token main has already sent (asked before anything else at
   * start, `connectPhone`): the first Device is made from them, with no round trip to main.
   */
  prefetched?: PrefetchedVoice | null;
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
  /**
   * Opens the microphone while an incoming call rings, so answering does not wait for it
   * (`warm-microphone.ts`; `startVoice` passes the browser's). Without it the SDK opens the
   * microphone on accept.
   */
  microphone?: MicrophoneWarmer | null;
  /**
   * The SDK's peer connections: a spare made while a call rings, and word of when an answered call's
   * media is up, so the screen renders after it rather than on the answer's way
   * (`peer-connections.ts`, `answer-window.ts`; `startVoice` passes the browser's).
   */
  peerConnections?: PeerConnections | null;
  /** Where the SDK sounds are served; default `/sounds/`. */
  soundsBaseUrl?: string;
  watchdog?: Partial<WatchdogOptions>;
  audioPreferences?: AudioPreferences;
  newId?: () => string;
  /** Diagnostics sink (default console.warn). */
  log?: VoiceLog;
}
