import { app, type Session } from 'electron';
import { isPermissionCheckAllowed, isPermissionGranted } from './window-policies';

/**
 * Applied to every webContents the app ever creates: no navigation away from our page, no new
 * windows, no webviews. A link the page tries to open in a new window goes to `openLink`, which
 * opens only links the app itself makes (os/external-links.ts).
 */
export function guardAllWebContents(openLink: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openLink(url);
      return { action: 'deny' };
    });
  });
}

/** The microphone for our own origin only; every other permission and device is refused. */
export function guardPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionGranted({ permission, requestingUrl: details.requestingUrl, mediaTypes }));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionCheckAllowed(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
