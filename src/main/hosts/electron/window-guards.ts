import { app, shell, type Session } from 'electron';
import { externalLinkTarget, isPermissionCheckAllowed, isPermissionGranted } from './window-policies';

/**
 * Applied to every webContents the app ever creates: no navigation away from our page, no new
 * windows (http/https links go to the OS browser), no webviews.
 */
export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const target = externalLinkTarget(url);
      if (target) void shell.openExternal(target);
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
