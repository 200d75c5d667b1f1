import type { VoiceConfig } from '../../shared/ipc';
import type { VoiceLog } from './engine-ports';
import type { DeviceFactory, SdkAudio, SdkCall, SdkDevice, SdkDeviceOptions, SdkError } from './sdk-port';
import { localSounds } from './sounds';

/** The Device options the engine always uses; the sandbox edge when main names one. Pure. */
export function deviceOptions(config: VoiceConfig, soundsBaseUrl?: string): SdkDeviceOptions {
  return {
    ...(config.chunderw ? { chunderw: config.chunderw } : {}),
    ...(config.eventgw ? { eventgw: config.eventgw } : {}),
    publishEvents: false,
    closeProtection: false,
    allowIncomingWhileBusy: true,
    codecPreferences: ['opus', 'pcmu'],
    sounds: localSounds(soundsBaseUrl),
    tokenRefreshMs: 30_000,
    appName: 'aesthetix-softphone',
  };
}

/** What the current Device tells the engine. Events of a replaced Device are dropped here. */
export interface DeviceHostEvents {
  /** Any sign of life from the Device (the watchdog's evidence). */
  evidence(): void;
  registered(): void;
  /** The SDK dropped to `unregistered` without the engine asking. */
  registrationLost(): void;
  /** A Device error; `call` when the SDK names the call it concerns. */
  error(error: SdkError, call: SdkCall | undefined): void;
  incoming(call: SdkCall): void;
  tokenWillExpire(): void;
  audioDevicesChanged(): void;
}

/**
 * Holds the one SDK Device: creates it with its listeners, destroys it, probes its registration.
 * The watchdog decides when to rebuild; this only knows how.
 */
export class DeviceHost {
  private device: SdkDevice | null = null;
  private detach: (() => void) | null = null;
  /** Set while the engine itself unregisters (a probe), so the SDK's `unregistered` is not a loss. */
  private unregistering: SdkDevice | null = null;

  constructor(
    private readonly createDevice: DeviceFactory,
    private readonly events: DeviceHostEvents,
    private readonly log: VoiceLog,
  ) {}

  get current(): SdkDevice | null {
    return this.device;
  }

  get audio(): SdkAudio | null {
    return this.device?.audio ?? null;
  }

  /** A new Device (the previous one must be destroyed first), listened to. Not yet registered. */
  create(token: string, options: SdkDeviceOptions): SdkDevice {
    const device = this.createDevice(token, options);
    this.device = device;
    this.detach = this.listen(device);
    return device;
  }

  destroy(): void {
    const device = this.device;
    if (!device) return;
    this.detach?.();
    this.detach = null;
    this.device = null;
    this.unregistering = null;
    try {
      device.destroy();
    } catch (error) {
      this.log('Device.destroy failed', error);
    }
  }

  updateToken(token: string): void {
    const device = this.device;
    if (!device || device.state === 'destroyed') return;
    try {
      device.updateToken(token);
    } catch (error) {
      this.log('updateToken failed', error);
    }
  }

  /** The blind watchdog's probe: a register round trip on the current Device. */
  async probe(): Promise<void> {
    const device = this.device;
    if (!device) throw new Error('No device');
    if (device.state === 'registered') {
      this.unregistering = device;
      try {
        await device.unregister();
      } finally {
        if (this.unregistering === device) this.unregistering = null;
      }
    }
    if (this.device !== device) throw new Error('The device was replaced');
    if (device.state === 'unregistered') {
      await device.register();
      return;
    }
    throw new Error(`The device is ${device.state}`);
  }

  private listen(device: SdkDevice): () => void {
    const { events } = this;
    const current = () => this.device === device;
    const evidence = () => {
      if (current()) events.evidence();
    };
    const handlers: Record<string, (...args: never[]) => void> = {
      registering: evidence,
      registered: () => {
        if (current()) events.registered();
      },
      unregistered: () => {
        if (!current() || this.unregistering === device) return;
        events.evidence();
        events.registrationLost();
      },
      error: (error: SdkError, call?: SdkCall) => {
        if (!current()) return;
        events.evidence();
        events.error(error, call);
      },
      incoming: (call: SdkCall) => {
        if (!current()) return;
        events.evidence();
        events.incoming(call);
      },
      tokenWillExpire: () => {
        evidence();
        events.tokenWillExpire();
      },
    };
    for (const [event, handler] of Object.entries(handlers)) device.on(event, handler);
    const audio = device.audio;
    const onDeviceChange = () => events.audioDevicesChanged();
    audio?.on('deviceChange', onDeviceChange);
    return () => {
      for (const [event, handler] of Object.entries(handlers)) device.removeListener(event, handler);
      audio?.removeListener('deviceChange', onDeviceChange);
    };
  }
}
