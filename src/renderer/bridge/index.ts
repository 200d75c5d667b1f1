// From the modules themselves, not shared/ipc's index: the index brings the whole contract's schemas.
import type { SoftphoneBridge } from '../../shared/ipc';
import { BRIDGE_FRAGMENT_KEY } from '../../shared/ipc/socket-protocol';
import { createSocketBridge } from './socket-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host, where the socket bridge stands in. */
    softphone?: SoftphoneBridge;
  }
}

const SECRET_STORAGE_KEY = 'aesthetix.bridgeSecret';

/** Reads the browser host's secret from the URL fragment once, then keeps it out of the address bar. */
function takeBridgeSecret(): string | undefined {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const fromHash = params.get(BRIDGE_FRAGMENT_KEY);
  if (fromHash) {
    sessionStorage.setItem(SECRET_STORAGE_KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(SECRET_STORAGE_KEY) ?? undefined;
}

let bridge: SoftphoneBridge | undefined;

export function getBridge(): SoftphoneBridge {
  if (bridge) return bridge;
  if (window.softphone) {
    bridge = window.softphone;
    return bridge;
  }
  const secret = takeBridgeSecret();
  if (!secret) throw new Error('This page was opened without its bridge secret: use the URL the softphone host printed.');
  bridge = createSocketBridge(window.location.origin, secret);
  // The same `window.softphone` as under Electron, so page code and tests see one API.
  Object.defineProperty(window, 'softphone', { value: bridge, writable: false, configurable: false });
  return bridge;
}
