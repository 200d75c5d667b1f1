// Keep this import first: it must run before the SDK below captures globalThis.WebSocket.
import { signalingMonitor } from './signaling-monitor-install';
import { Device } from '@twilio/voice-sdk';
import type { DeviceFactory, SdkDevice } from './sdk-port';

/**
 * The one place the real SDK is constructed. Everything else in the app sees `SdkDevice`.
 * `chunderw`/`eventgw`/`publishEvents` are SDK options the public typings do not list
 * (IExtendedDeviceOptions); the SDK reads them all the same.
 */
export const createTwilioDevice: DeviceFactory = (token, options) =>
  new Device(token, options as unknown as Device.Options) as unknown as SdkDevice;

/** The SDK's own version, for the diagnostics panel. */
export const sdkVersion = (): string => Device.version;

/** The SDK's signaling socket as seen by the monitor (null without a WebSocket, e.g. in Node). */
export { signalingMonitor };
