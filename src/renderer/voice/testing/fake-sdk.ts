import type { FakeSignaling } from './fake-signaling';
import type { SdkAudio, SdkAudioProcessor, SdkCall, SdkCallStatus, SdkDevice, SdkDeviceOptions, SdkDeviceState, SdkOutputDevices } from '../sdk-port';

type AnyListener = (...args: never[]) => void;

/** A minimal EventEmitter (the renderer may not import Node's `events`). */
class Emitter {
  private readonly listeners = new Map<string, Set<AnyListener>>();
  on(event: string, listener: AnyListener): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }
  removeListener(event: string, listener: AnyListener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}

/**
 * Behaves like the SDK's Call where the engine can tell: statuses, the order of events (a gateway
 * hangup emits `error` then `disconnect`; reject/cancel emit no `disconnect`), sid adoption.
 */
export class FakeCall extends Emitter implements SdkCall {
  readonly parameters: Record<string, string>;
  readonly customParameters: Map<string, string>;
  readonly direction: 'INCOMING' | 'OUTGOING';
  readonly digits: string[] = [];
  private _status: SdkCallStatus;
  private muted = false;
  acceptCalls = 0;

  constructor(direction: 'INCOMING' | 'OUTGOING', parameters: Record<string, string>, custom: Record<string, string> = {}) {
    super();
    this.direction = direction;
    this.parameters = { ...parameters };
    this.customParameters = new Map(Object.entries(custom));
    this._status = direction === 'INCOMING' ? 'pending' : 'connecting';
  }

  status(): SdkCallStatus {
    return this._status;
  }
  accept(): void {
    this.acceptCalls++;
    if (this._status === 'pending') this._status = 'connecting';
  }
  reject(): void {
    if (this._status !== 'pending') return;
    this._status = 'closed';
    this.emit('reject');
  }
  disconnect(): void {
    if (this._status === 'closed' || this._status === 'pending') return;
    this._status = 'closed';
    this.emit('disconnect', this);
  }
  mute(shouldMute = true): void {
    if (this.muted === shouldMute) return;
    this.muted = shouldMute;
    this.emit('mute', shouldMute, this);
  }
  isMuted(): boolean {
    return this.muted;
  }
  sendDigits(digits: string): void {
    this.digits.push(digits);
  }
  /** Node has no MediaStream: the fake call has none (the fake HoldAudio does not need them). */
  getLocalStream(): MediaStream | undefined {
    return undefined;
  }
  getRemoteStream(): MediaStream | undefined {
    return undefined;
  }

  // What the edge or the media can do to the call:
  edgeRinging(callSid: string): void {
    this.parameters.CallSid = callSid;
    this._status = 'ringing';
    this.emit('ringing', false);
  }
  edgeAnswer(callSid?: string): void {
    if (callSid) this.parameters.CallSid = callSid;
    this._status = 'open';
    this.emit('accept', this);
  }
  edgeCancel(): void {
    this._status = 'closed';
    this.emit('cancel');
  }
  edgeHangup(error?: { code: number; message: string }): void {
    if (error) this.emit('error', error);
    this._status = 'closed';
    this.emit('disconnect', this);
  }
  /** getUserMedia failing after accept(): the SDK disconnects first, then emits the error. */
  mediaFailure(error: { code: number; message: string }): void {
    this._status = 'closed';
    this.emit('disconnect', this);
    this.emit('error', error);
  }
  /** The signaling socket closed with no reconnect token: closed, and no `disconnect`. */
  transportLost(): void {
    this._status = 'closed';
    this.emit('transportClose');
  }
  /** Closed silently (as after a sleep), no event at all. */
  dieSilently(): void {
    this._status = 'closed';
  }
  nonFatalError(error: { code: number; message: string }): void {
    this.emit('error', error);
  }
  reconnecting(): void {
    this._status = 'reconnecting';
    this.emit('reconnecting', { code: 53405, message: 'Media connection failed.' });
  }
  reconnected(): void {
    this._status = 'open';
    this.emit('reconnected');
  }
  warning(name: string): void {
    this.emit('warning', name, null);
  }
  warningCleared(name: string): void {
    this.emit('warning-cleared', name);
  }
}

export class FakeOutputDevices implements SdkOutputDevices {
  readonly tested: Array<string | undefined> = [];
  private current: string[] = ['default'];
  constructor(private readonly available: Map<string, MediaDeviceInfo>) {}
  get(): Set<MediaDeviceInfo> {
    return new Set(this.current.map((id) => this.available.get(id)!).filter(Boolean));
  }
  async set(ids: string | string[]): Promise<void> {
    const list = Array.isArray(ids) ? ids : [ids];
    for (const id of list) if (!this.available.has(id)) throw new Error(`Devices not found: ${id}`);
    this.current = list;
  }
  async test(soundUrl?: string): Promise<void> {
    this.tested.push(soundUrl);
  }
}

const mediaDevice = (deviceId: string, kind: MediaDeviceKind, label: string): MediaDeviceInfo =>
  ({ deviceId, kind, label, groupId: 'g', toJSON: () => ({}) }) as MediaDeviceInfo;

export class FakeAudio extends Emitter implements SdkAudio {
  readonly availableInputDevices = new Map<string, MediaDeviceInfo>([
    ['default', mediaDevice('default', 'audioinput', 'Default')],
    ['headset-mic', mediaDevice('headset-mic', 'audioinput', 'Headset microphone')],
  ]);
  readonly availableOutputDevices = new Map<string, MediaDeviceInfo>([
    ['default', mediaDevice('default', 'audiooutput', 'Default')],
    ['desk', mediaDevice('desk', 'audiooutput', 'Desk speakers')],
    ['headset', mediaDevice('headset', 'audiooutput', '')],
  ]);
  isOutputSelectionSupported = true;
  inputDevice: MediaDeviceInfo | null = null;
  readonly speakerDevices = new FakeOutputDevices(this.availableOutputDevices);
  readonly ringtoneDevices = new FakeOutputDevices(this.availableOutputDevices);
  async setInputDevice(deviceId: string): Promise<void> {
    const device = this.availableInputDevices.get(deviceId);
    if (!device) throw new Error(`Device not found: ${deviceId}`);
    this.inputDevice = device;
  }
  async unsetInputDevice(): Promise<void> {
    this.inputDevice = null;
  }
  /** The processors added, as the SDK keeps them: one local, one remote at most. */
  readonly processors: { local: SdkAudioProcessor | null; remote: SdkAudioProcessor | null } = { local: null, remote: null };
  async addProcessor(processor: SdkAudioProcessor, isRemote = false): Promise<void> {
    const side = isRemote ? 'remote' : 'local';
    if (this.processors[side]) throw new Error(`Can only have one ${side} AudioProcessor at a time.`);
    this.processors[side] = processor;
  }
  async removeProcessor(processor: SdkAudioProcessor, isRemote = false): Promise<void> {
    const side = isRemote ? 'remote' : 'local';
    if (this.processors[side] !== processor) throw new Error(`Cannot remove a ${side} AudioProcessor that has not been previously added.`);
    this.processors[side] = null;
  }
}

/** How the fake edge answers register()/unregister(). */
export type EdgeBehaviour = 'answer' | 'silent' | 'refuse';

export class FakeDevice extends Emitter implements SdkDevice {
  state: SdkDeviceState = 'unregistered';
  readonly audio = new FakeAudio();
  readonly calls: FakeCall[] = [];
  readonly tokens: string[] = [];
  readonly connects: Array<Record<string, string>> = [];
  registerCalls = 0;
  unregisterCalls = 0;
  destroyed = false;
  edge: EdgeBehaviour = 'answer';
  /** Next connect() rejects with this. */
  connectError: Error | null = null;
  /** When set, registering opens a signaling socket on it (with a frame: the `ready`), destroy closes it. */
  signaling: FakeSignaling | null = null;

  constructor(
    readonly token: string,
    readonly options: SdkDeviceOptions,
  ) {
    super();
  }

  private setState(state: SdkDeviceState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit(state);
  }

  async register(): Promise<void> {
    this.registerCalls++;
    if (this.state !== 'unregistered') throw new Error(`Attempt to register when device is in state "${this.state}"`);
    this.setState('registering');
    await Promise.resolve();
    if (this.edge === 'silent') return new Promise<void>(() => undefined);
    if (this.edge === 'refuse') {
      this.setState('unregistered');
      throw new Error('registration refused');
    }
    if (this.signaling && !this.signaling.isOpen) this.signaling.open();
    this.signaling?.frame();
    this.setState('registered');
  }

  async unregister(): Promise<void> {
    this.unregisterCalls++;
    if (this.state !== 'registered') throw new Error(`Attempt to unregister when device is in state "${this.state}"`);
    await Promise.resolve();
    if (this.edge === 'silent') return new Promise<void>(() => undefined);
    this.setState('unregistered');
  }

  destroy(): void {
    this.destroyed = true;
    for (const call of [...this.calls]) call.disconnect();
    this.signaling?.close();
    this.setState('destroyed');
  }

  updateToken(token: string): void {
    if (this.state === 'destroyed') throw new Error('destroyed');
    this.tokens.push(token);
  }

  async connect(options: { params: Record<string, string> }): Promise<FakeCall> {
    this.connects.push(options.params);
    await Promise.resolve();
    if (this.connectError) throw this.connectError;
    const call = new FakeCall('OUTGOING', {}, options.params);
    this.calls.push(call);
    return call;
  }

  // What the edge can do:
  invite(params: { CallSid: string; From: string; To: string }, custom: Record<string, string> = {}): FakeCall {
    const call = this.inviteBuilt(params, custom);
    this.emit('incoming', call);
    return call;
  }
  /** The SDK has built the Call but not yet emitted `incoming` (its ringtone wait); `emitIncoming` ends the wait. */
  inviteBuilt(params: { CallSid: string; From: string; To: string }, custom: Record<string, string> = {}): FakeCall {
    const call = new FakeCall('INCOMING', params, custom);
    this.calls.push(call);
    return call;
  }
  emitIncoming(call: FakeCall): void {
    this.emit('incoming', call);
  }
  /** The SDK noticed a dead socket and dropped to unregistered. */
  loseRegistration(): void {
    this.setState('unregistered');
  }
  deviceError(error: { code: number; message: string }, call?: FakeCall): void {
    this.emit('error', error, call);
  }
}

/** A DeviceFactory that keeps every Device it made. */
export function fakeDeviceFactory(signaling: FakeSignaling | null = null): {
  create: (token: string, options: SdkDeviceOptions) => FakeDevice;
  devices: FakeDevice[];
  edge: EdgeBehaviour;
} {
  const state = {
    devices: [] as FakeDevice[],
    edge: 'answer' as EdgeBehaviour,
    create: (token: string, options: SdkDeviceOptions) => {
      const device = new FakeDevice(token, options);
      device.edge = state.edge;
      device.signaling = signaling;
      state.devices.push(device);
      return device;
    },
  };
  return state;
}
