/**
 * Window security decisions as plain functions, so they are unit-tested without Electron; the
 * adapters in this folder apply them to every window and session.
 */

/** The origin the Electron app serves its renderer from (a privileged, standard, secure scheme). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://softphone`;

/** webPreferences for every window we create. Never loosen these per window. */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
});

export function isOwnPageUrl(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === 'softphone';
}

export interface PermissionRequest {
  permission: string;
  requestingUrl: string;
  /** For 'media': which kinds of device are asked for. */
  mediaTypes?: readonly string[];
}

/** Grants the microphone, and nothing else, to our own page only. */
export function isPermissionGranted(request: PermissionRequest): boolean {
  if (request.permission !== 'media') return false;
  let url: URL;
  try {
    url = new URL(request.requestingUrl);
  } catch {
    return false;
  }
  if (!isOwnPageUrl(url)) return false;
  const types = request.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'audio');
}

/** Permission checks (as opposed to requests) carry an origin, not a URL, and no media types. */
export function isPermissionCheckAllowed(permission: string, requestingOrigin: string): boolean {
  return permission === 'media' && requestingOrigin === APP_ORIGIN;
}
