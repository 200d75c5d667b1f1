// Keep this import first: it must run before the SDK below captures globalThis.WebSocket.
import { signalingMonitor } from './signaling-monitor-install';
import { Device, type Call } from '@twilio/voice-sdk';
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

/**
 * The one place the real SDK is constructed. Everything else in the app sees `SdkDevice`.
 * `chunderw`/`eventgw`/`publishEvents` are SDK options the public typings do not list
 * (IExtendedDeviceOptions); the SDK reads them all the same.
 */
export const createTwilioDevice: DeviceFactory = (token, options) => {
  const device = new Device(token, options as unknown as Device.Options);
  // Registered before the engine's listener, so the hook is gone before anyone can accept.
  device.on(Device.EventName.Incoming, keepHeldCallsOnAccept);
  return device as unknown as SdkDevice;
};

/** The SDK's own version, for the diagnostics panel. */
export const sdkVersion = (): string => Device.version;

/** The SDK's signaling socket as seen by the monitor (null without a WebSocket, e.g. in Node). */
export { signalingMonitor };
