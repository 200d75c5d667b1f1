// Keep this import first: it must run before the SDK below captures globalThis.WebSocket.
import { signalingMonitor } from './signaling-monitor-install';
import { Device, type Call } from '@twilio/voice-sdk';
// PRIVATE: the SDK's own Sound (SDK 2.18.5, esm/twilio/sound.js), which its package exports do not
// name; a relative path reaches the same module the Device imports. If a future SDK moves it, the build fails here.
import SdkSound from '../../../node_modules/@twilio/voice-sdk/esm/twilio/sound.js';
import { deferredSounds, type DeferredSounds, type SdkSoundClass } from './deferred-sounds';
import type { DeviceFactory, SdkDevice } from './sdk-port';

/**
 * The SDK's Device disconnects its active call when another call is accepted (a `beforeAccept`
 * hook it gives every Call it makes; documented for `allowIncomingWhileBusy`). With hold done in the
 * browser, that active call may be a caller on hold, who would be hung up. The engine already
 * refuses to answer over a call that is not fully on hold, so the hook is removed from each incoming
 * Call. PRIVATE: `Call#_options.beforeAccept` (SDK 2.18.5, lib/twilio/call.ts `accept()`); if a
 * future SDK changes that shape this logs and leaves the call alone (answering over a held call
 * then ends it, as before). The held call is then no longer the Device's `_activeCall`: the engine
 * disconnects such calls itself on stop.
 */
function keepHeldCallsOnAccept(call: Call): void {
  const options = (call as unknown as { _options?: { beforeAccept?: unknown } })._options;
  if (options && typeof options.beforeAccept === 'function') delete options.beforeAccept;
  else console.warn('[voice] SDK Call has no _options.beforeAccept: answering over a held call will end it');
}

/** Each Device's sounds, for loadTwilioDeviceSounds (a rebuilt Device has its own). */
const soundsOf = new WeakMap<object, DeferredSounds>();

/**
 * The one place the real SDK is constructed. Everything else in the app sees `SdkDevice`.
 * `chunderw`/`eventgw`/`publishEvents` are SDK options the public typings do not list
 * (IExtendedDeviceOptions); the SDK reads them all the same.
 */
export const createTwilioDevice: DeviceFactory = (token, options) => {
  // Its 15 sounds are made once "Ready for calls" is on screen (loadTwilioDeviceSounds), or when first played.
  const sounds = deferredSounds(SdkSound as unknown as SdkSoundClass);
  const device = new Device(token, { ...options, Sound: sounds.Sound } as unknown as Device.Options);
  // Registered before the engine's listener, so the hook is gone before anyone can accept.
  device.on(Device.EventName.Incoming, keepHeldCallsOnAccept);
  soundsOf.set(device, sounds);
  return device as unknown as SdkDevice;
};

/** Makes the sounds of a Device from createTwilioDevice that were not played yet (see deferred-sounds.ts). */
export function loadTwilioDeviceSounds(device: SdkDevice): void {
  soundsOf.get(device)?.loadAll();
}

let warnedNoAudioContext = false;

/**
 * `new Device()` first makes the SDK's one shared AudioContext, about 0.1 s of this thread in
 * Chromium (issue #21: measured in the start's profile, between the token's arrival and the
 * register). Made here instead, while main is asked for the token. PRIVATE: the static
 * `Device._getOrCreateAudioContext` (SDK 2.18.5, lib/twilio/device.ts), which the constructor calls
 * and which returns the same context thereafter; if a future SDK drops it, the constructor makes
 * the context as before and this logs once.
 */
export function prepareTwilioDevice(): void {
  const create = (Device as unknown as { _getOrCreateAudioContext?: () => unknown })._getOrCreateAudioContext;
  if (typeof create === 'function') create.call(Device);
  else if (!warnedNoAudioContext) {
    warnedNoAudioContext = true;
    console.warn('[voice] SDK Device has no _getOrCreateAudioContext: its AudioContext is made with the Device instead');
  }
}

/** The SDK's own version, for the diagnostics panel. */
export const sdkVersion = (): string => Device.version;

/** The SDK's signaling socket as seen by the monitor (null without a WebSocket, e.g. in Node). */
export { signalingMonitor };
