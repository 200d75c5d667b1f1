/**
 * The operating-system integrations as small ports. Electron adapters live in os/electron/;
 * the browser host has its own (src/main/hosts/browser/host-ports.ts); unit tests use fakes.
 */
import type { TrayMenuItem, TrayModel } from './tray-model';

export interface TrayPort {
  render(model: TrayModel, onMenuItem: (id: TrayMenuItem['id']) => void): void;
  destroy(): void;
}

export interface OsNotification {
  id: string;
  title: string;
  body: string;
  silent: boolean;
  /** Ringing calls stay until dealt with; alerts may time out. */
  urgent: boolean;
}

export interface NotificationPort {
  readonly supported: boolean;
  show(notification: OsNotification, onClick: () => void): void;
  close(id: string): void;
}

export interface HotkeyPort {
  /** False where the host has no global shortcuts (the browser host): in-window keys still work. */
  readonly supported: boolean;
  /** False when the OS (or another program) refuses the shortcut. */
  register(accelerator: string, handler: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface LoginItemPort {
  readonly supported: boolean;
  set(openAtLogin: boolean): void;
}

export interface PowerPort {
  /** Fires on resume from sleep, screen unlock, and when the network comes back. */
  onWake(listener: (reason: 'resume' | 'unlock' | 'online') => void): () => void;
}
