import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, powerMonitor, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { buildCsp } from '../../../shared/security/csp';
import { createCore, type Core } from '../../core';
import { discardEarlyDatabase, openEmbeddedDatabaseEarly, startEmbeddedStack } from '../../embedded';
import { createSenderPolicy } from '../../ipc/router';
import { electronBindingPath } from './native-bindings';
import { telLinkFromArgv } from '../../os/tel-links';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { enableCompileCache } from '../compile-cache';
import { startupTrace } from '../../core/startup-trace';
import { deferOptimisingDuringStart } from '../../core/start-tiering';
import { bindElectronIpc } from './electron-ipc';
import {
  createElectronHotkeys,
  createElectronLoginItem,
  createElectronNotifications,
  createElectronPower,
  createElectronTray,
} from '../../os/electron/adapters';
import { createPhoneWindow } from './phone-window';
import { trustSandboxCa } from './sandbox-trust';
import { guardAllWebContents, guardPermissions } from './window-guards';
import { isOwnPageUrl } from './window-policies';
import { createElectronVault } from './vault';
import { confirmBoxOptions, confirmedBy } from './message-box';
import { QuitGuard } from '../quit-guard';
import type { ConfirmQuestion } from '../host-port';
import { systemClock } from '../../os/system-clock';
import type { JsonStoreClass } from '../../settings/settings-file';
import { START_FAILURE_BUTTONS, describeStartFailure, startFailureChoice, startFailureText, startWithRetry, type StartFailure } from '../start-failure';
import { startFailureLogFile, writeStartFailureLog } from '../start-failure-log';

/** The Electron composition root: real adapters are wired here and only here. */
registerAppScheme();
app.enableSandbox();

const appRoot = app.getAppPath();
const resourcesDir = join(appRoot, 'resources');
let phoneWindow: BrowserWindow | undefined;
let quitting = false;
let core: Core | undefined;
/** Asks before a quit loses unsaved edits; built with the core (before it, a quit goes through). */
let quitGuard: QuitGuard | undefined;
/** A tel: link that arrived before the core was ready (cold start from a link). */
let pendingTelLink = telLinkFromArgv(process.argv);
// Links a page opens in a new window go through the core's link policy; before it exists nothing opens.
guardAllWebContents((url) => void core?.links.open(url));

function showPhoneWindow(): boolean {
  if (!phoneWindow || phoneWindow.isDestroyed()) return false;
  if (phoneWindow.isMinimized()) phoneWindow.restore();
  phoneWindow.show();
  phoneWindow.focus();
  return true;
}

function openTelLink(link: string): void {
  if (core) core.openTelLink(link);
  else pendingTelLink = link;
}

/** Main's own question (HostPort.confirm, the quit guard): a native message box over the phone window, shown first (it may be in the tray). */
async function confirmInWindow(question: ConfirmQuestion): Promise<boolean> {
  const options = confirmBoxOptions(question);
  const { response } = showPhoneWindow() && phoneWindow ? await dialog.showMessageBox(phoneWindow, options) : await dialog.showMessageBox(options);
  return confirmedBy(response);
}

/** The start-failure window: a native message box (no renderer needed), shown again after "Show the log". */
async function askAfterStartFailure(failure: StartFailure, logFile: string): Promise<'retry' | 'quit'> {
  for (;;) {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: 'Aesthetix Softphone',
      message: failure.title,
      detail: startFailureText(failure),
      buttons: [...START_FAILURE_BUTTONS],
      defaultId: 0,
      cancelId: START_FAILURE_BUTTONS.length - 1,
      noLink: true,
    });
    const choice = startFailureChoice(response);
    if (choice !== 'show-log') return choice;
    shell.showItemInFolder(logFile);
  }
}

if (!app.requestSingleInstanceLock()) {
  // A second launch hands its tel: link (if any) to the first instance and quits.
  app.quit();
} else {
  // This instance owns the user-data folder now. What this file imports is compiled already; what
  // loads from here on (the embedded stack's chunk and its packages, the worker threads) is kept in
  // Node's compile cache for the next start.
  startupTrace(`compile cache ${enableCompileCache(join(app.getPath('userData'), 'compile-cache'))}`);
  // V8's optimising compiler waits until the phone is ready, on a V8 where that was measured (start-tiering.ts).
  startupTrace(`optimising compiler ${deferOptimisingDuringStart().state}`);
  // The embedded database opens while Electron gets ready, instead of after it (openEmbeddedDatabaseEarly says when it does).
  openEmbeddedDatabaseEarly(app.getPath('userData'), process.env);
  for (const scheme of ['tel', 'callto']) app.setAsDefaultProtocolClient(scheme);

  app.on('second-instance', (_event, argv) => {
    showPhoneWindow();
    const link = telLinkFromArgv(argv);
    if (link) openTelLink(link);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openTelLink(url);
  });

  void app.whenReady().then(async () => {
    const userDataDir = app.getPath('userData');
    mkdirSync(userDataDir, { recursive: true });
    guardPermissions(session.defaultSession);

    const keychain = createElectronVault({ userDataDir, keytarBinding: electronBindingPath('keytar', appRoot, process.versions) });
    // Built once: a Retry after a failed start must not add a second tray icon.
    const ports = {
      vault: keychain.vault,
      settingsStore: ElectronStore as unknown as JsonStoreClass,
      notifications: createElectronNotifications(),
      hotkeys: createElectronHotkeys(),
      loginItem: createElectronLoginItem(),
      power: createElectronPower(),
      tray: createElectronTray(resourcesDir),
    };
    const logFile = startFailureLogFile(userDataDir);
    // A start that fails (a damaged data folder, a port that cannot be opened…) opens a window that
    // says so, with Retry: the receptionist must never be left with no window at all.
    const started = await startWithRetry(() => createCore({
      appVersion: app.getVersion(),
      env: process.env,
      platform: process.platform,
      userDataDir,
      sqliteBinding: electronBindingPath('better-sqlite3', appRoot, process.versions),
      startEmbedded: startEmbeddedStack,
      ...(keychain.notice ? { startupNotices: [keychain.notice] } : {}),
      deviceName: `Desktop (${process.platform})`,
      isTrustedSender: createSenderPolicy({
        isOwnWindow: (id) => BrowserWindow.getAllWindows().some((w) => !w.isDestroyed() && w.webContents.id === id),
        isOwnPage: isOwnPageUrl,
      }),
      ports,
      host: {
        kind: 'electron',
        showWindow: showPhoneWindow,
        isWindowVisible: () => Boolean(phoneWindow && !phoneWindow.isDestroyed() && phoneWindow.isVisible() && !phoneWindow.isMinimized()),
        openExternal: async (url) => {
          await shell.openExternal(url);
          return true;
        },
        quit: () => app.quit(),
        confirm: confirmInWindow,
      },
    }), async (error) => {
      console.error('The softphone could not start', error);
      writeStartFailureLog(logFile, error);
      return askAfterStartFailure(describeStartFailure(error, { logFile, host: 'window' }), logFile);
    });
    if (!started) {
      ports.tray.destroy();
      await discardEarlyDatabase();
      return app.quit();
    }
    core = started;

    const running = core;
    quitGuard = new QuitGuard({
      ...running.quit,
      confirm: confirmInWindow,
      quit: () => app.quit(),
      clock: systemClock,
      log: (message, error) => console.error(message, error ?? ''),
    });
    const guard = quitGuard;
    running.quit.onPhoneChanged(() => guard.phoneChanged());
    running.quit.onUnsavedChanged(() => guard.unsavedChanged());
    // Linux and macOS say the session is ending: quit now, asking with a deadline only when something
    // is unsaved (the guard then quits itself). preventDefault has Electron hold the shutdown until the
    // app has quit (logind bounds that): the core closes cleanly. Electron passes the event its typings omit.
    powerMonitor.on('shutdown', (event?: Electron.Event) => {
      event?.preventDefault();
      if (guard.mayQuit('session-end')) app.quit();
    });
    if (running.embedded) trustSandboxCa(session.defaultSession, running.embedded.caPem, running.embedded.edgeHost);
    serveRenderer(session.defaultSession, join(import.meta.dirname, '../renderer'), () => buildCsp({ connect: running.connectOrigins() }));
    bindElectronIpc(running.router, running.events);
    phoneWindow = createPhoneWindow(join(import.meta.dirname, '../preload/index.cjs'), { startHidden: process.argv.includes('--hidden') });
    // The phone must ring: closing the window hides it to the tray instead of quitting.
    phoneWindow.on('close', (event) => {
      if (!quitting) {
        event.preventDefault();
        phoneWindow?.hide();
      }
    });
    // The page asks before unloading with unsaved edits (beforeunload, for the browser's own prompt).
    // Electron would instead cancel the unload silently — a Quit that does nothing, after before-quit
    // has begun disposing the core — so the page is let go. Closing the window only hides it (above),
    // edits intact; this is reached on Quit only, once the quit guard has asked (native dialog).
    phoneWindow.webContents.on('will-prevent-unload', (event) => event.preventDefault());
    // A page that reloads or crashes took its edits with it: the new page reports its own (unsaved-work.ts).
    const windowId = phoneWindow.webContents.id;
    phoneWindow.webContents.on('did-navigate', () => running.quit.windowGone(windowId));
    phoneWindow.webContents.on('render-process-gone', () => running.quit.windowGone(windowId));
    // Windows ends the session without before-quit. Nothing unsaved: not held (Windows would say the app
    // is preventing shutdown). Unsaved: held while the guard asks (at most its deadline), which then quits.
    phoneWindow.on('query-session-end', (event) => {
      if (!guard.mayQuit('session-end')) event.preventDefault();
    });
    if (pendingTelLink) {
      const link = pendingTelLink;
      pendingTelLink = undefined;
      phoneWindow.webContents.once('did-finish-load', () => running.openTelLink(link));
    }
  });

  app.on('before-quit', (event) => {
    // Unsaved edits ask first (quit-guard.ts): the guard quits again itself once it may. Nothing
    // unsaved, or a call on: not held. (A session end's quit was let through by the guard already.)
    if (quitGuard && !quitGuard.mayQuit('user')) return event.preventDefault();
    quitting = true;
    void core?.dispose();
  });
  // The tray keeps the app alive with no window showing.
  app.on('window-all-closed', () => undefined);
}
