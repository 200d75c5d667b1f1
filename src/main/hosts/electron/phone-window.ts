import { BrowserWindow } from 'electron';
import { APP_ORIGIN, SECURE_WEB_PREFERENCES } from './window-policies';

/** The phone window. It never throttles in the background: a hidden window must still ring. */
export function createPhoneWindow(preloadPath: string, options: { startHidden?: boolean } = {}): BrowserWindow {
  const window = new BrowserWindow({
    width: 420,
    height: 720,
    minWidth: 360,
    minHeight: 560,
    show: false,
    title: 'Aesthetix Softphone',
    backgroundColor: '#0f172a',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath, backgroundThrottling: false },
  });
  // Started at login with --hidden: stay in the tray, but load (and register the phone) at once.
  if (!options.startHidden) window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
