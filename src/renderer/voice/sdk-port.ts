/**
 * The slice of `@twilio/voice-sdk` the engine uses, as interfaces. `twilio-device.ts` adapts the real
 * SDK to them; unit tests use the EventEmitter fakes in `testing/fake-sdk.ts`. Names and semantics
 * follow the SDK 2.18.5 (pinned): see `node_modules/@twilio/voice-sdk/es5/twilio/{device,call}.d.ts`.
 */

export type Listener = (...args: never[]) => void;

export interface SdkEmitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/** Call.State of the SDK. `pending` is an incoming call not yet accepted. */
export type SdkCallStatus = 'closed' | 'connecting' | 'open' | 'pending' | 'reconnecting' | 'ringing';

/** Errors the SDK emits (TwilioError): a numeric code when Twilio gave one. */
export interface SdkError {
  code?: number;
  message?: string;
  description?: string;
}

export interface SdkCall extends SdkEmitter {
  /** CallSid, From, To, … ; for outgoing calls CallSid appears after the edge's first reply. */
  readonly parameters: Record<string, string>;
  readonly customParameters: Map<string, string>;
  readonly direction: 'INCOMING' | 'OUTGOING';
  accept(): void;
  reject(): void;
  disconnect(): void;
  mute(shouldMute?: boolean): void;
  isMuted(): boolean;
  sendDigits(digits: string): void;
  status(): SdkCallStatus;
  /** The stream this call sends (its tracks are the local AudioProcessor's output, if one is added). */
  getLocalStream(): MediaStream | undefined;
  /** The stream received from the far end (the SDK plays it on the speaker outputs). */
  getRemoteStream(): MediaStream | undefined;
}

/**
 * The SDK's AudioProcessor (2.10+, `lib/twilio/audioprocessor.ts`): `device.audio.addProcessor(p)`
 * routes every microphone stream the SDK opens through `createProcessedStream` and sends the result.
 */
export interface SdkAudioProcessor {
  createProcessedStream(stream: MediaStream): Promise<MediaStream>;
  destroyProcessedStream(stream: MediaStream): Promise<void>;
}

export interface SdkOutputDevices {
  get(): Set<MediaDeviceInfo>;
  set(deviceIdOrIds: string | string[]): Promise<void>;
  test(soundUrl?: string): Promise<unknown>;
}

export interface SdkAudio extends SdkEmitter {
  readonly availableInputDevices: Map<string, MediaDeviceInfo>;
  readonly availableOutputDevices: Map<string, MediaDeviceInfo>;
  readonly inputDevice: MediaDeviceInfo | null;
  readonly isOutputSelectionSupported: boolean;
  readonly speakerDevices: SdkOutputDevices;
  readonly ringtoneDevices: SdkOutputDevices;
  setInputDevice(deviceId: string): Promise<void>;
  unsetInputDevice(): Promise<void>;
  /** `isRemote` false (default): the microphone side. One local and one remote processor at a time. */
  addProcessor(processor: SdkAudioProcessor, isRemote?: boolean): Promise<void>;
  removeProcessor(processor: SdkAudioProcessor, isRemote?: boolean): Promise<void>;
}

export type SdkDeviceState = 'destroyed' | 'unregistered' | 'registering' | 'registered';

export interface SdkDevice extends SdkEmitter {
  readonly state: SdkDeviceState;
  readonly audio: SdkAudio | null;
  readonly calls: readonly SdkCall[];
  register(): Promise<void>;
  unregister(): Promise<void>;
  destroy(): void;
  updateToken(token: string): void;
  connect(options: { params: Record<string, string> }): Promise<SdkCall>;
}

export type SoundName =
  | 'incoming'
  | 'outgoing'
  | 'disconnect'
  | 'dtmf0'
  | 'dtmf1'
  | 'dtmf2'
  | 'dtmf3'
  | 'dtmf4'
  | 'dtmf5'
  | 'dtmf6'
  | 'dtmf7'
  | 'dtmf8'
  | 'dtmf9'
  | 'dtmfs'
  | 'dtmfh';

/** The Device options the engine sets (a subset of the SDK's, plus its internal chunderw/eventgw). */
export interface SdkDeviceOptions {
  /** host:port of a local signaling edge (the sandbox); omitted for real Twilio. */
  chunderw?: string;
  eventgw?: string;
  edge?: string | string[];
  publishEvents: false;
  closeProtection: false;
  allowIncomingWhileBusy: true;
  codecPreferences: Array<'opus' | 'pcmu'>;
  /** Replaces the browser's getUserMedia for every microphone the SDK opens (warm-microphone.ts). */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** Replaces the browser's RTCPeerConnection class (media-watch.ts: the same class, watched). */
  RTCPeerConnection?: typeof RTCPeerConnection;
  sounds: Partial<Record<SoundName, string>>;
  /** Ask for `tokenWillExpire` this long before expiry. */
  tokenRefreshMs: number;
  appName: string;
}

export type DeviceFactory = (token: string, options: SdkDeviceOptions) => SdkDevice;
