import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import { buildCsp } from '../shared/security/csp';
import { createCore } from './core';
import { createSenderPolicy } from './ipc/router';
import { registerAppScheme, serveRenderer } from './platform/app-protocol';
import { bindElectronIpc } from './platform/electron-ipc';
import { createPhoneWindow } from './platform/phone-window';
import { guardAllWebContents, guardPermissions } from './platform/window-guards';
import { isOwnPageUrl } from './security/policies';

/** The Electron composition root: real adapters are wired here and only here. */
registerAppScheme();
app.enableSandbox();
guardAllWebContents();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let phoneWindow: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (!phoneWindow) return;
    if (phoneWindow.isMinimized()) phoneWindow.restore();
    phoneWindow.show();
    phoneWindow.focus();
  });

  void app.whenReady().then(() => {
    const core = createCore({
      appVersion: app.getVersion(),
      env: process.env,
      platform: process.platform,
      isTrustedSender: createSenderPolicy({
        isOwnWindow: (id) => BrowserWindow.getAllWindows().some((w) => !w.isDestroyed() && w.webContents.id === id),
        isOwnPage: isOwnPageUrl,
      }),
      host: {
        kind: 'electron',
        showWindow: () => {
          if (!phoneWindow || phoneWindow.isDestroyed()) return false;
          phoneWindow.show();
          phoneWindow.focus();
          return true;
        },
        openExternal: async (url) => {
          await shell.openExternal(url);
          return true;
        },
      },
    });

    guardPermissions(session.defaultSession);
    serveRenderer(session.defaultSession, join(import.meta.dirname, '../renderer'), () =>
      buildCsp({ connect: core.connectOrigins() }),
    );
    bindElectronIpc(core.router, core.events);
    phoneWindow = createPhoneWindow(join(import.meta.dirname, '../preload/index.cjs'));

    app.on('before-quit', () => void core.dispose());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
