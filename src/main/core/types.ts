import type { Notice, VoiceConfig } from '../../shared/ipc';
import type { CallCache } from '../cache/cache';
import type { Clock } from '../../shared/time/clock';
import type { CloudTarget } from '../cloud-client/cloud-target';
import type { EmbeddedStack, StartEmbeddedStack } from '../embedded';
import type { HostPort } from '../hosts/host-port';
import type { NoticeBoard } from '../ipc/notice-board';
import type { RendererEvents } from '../ipc/renderer-events';
import type { IpcRouter, SenderPolicy } from '../ipc/router';
import type { ExternalLinks } from '../os/external-links';
import type { HotkeyPort, LoginItemPort, NotificationPort, PowerPort, TrayPort } from '../os/ports';
import type { CredentialVault } from '../session/credential-vault';
import type { SessionService } from '../session/session-service';
import type { JsonStoreClass } from '../settings/settings-file';
import type { SettingsService } from '../settings/settings-service';
import type { SyncEngine } from '../sync/sync-engine';

/** The OS integrations a host provides (Electron's, the browser host's, or a test's). */
export interface CorePorts {
  vault: CredentialVault;
  settingsStore: JsonStoreClass;
  notifications: NotificationPort;
  hotkeys: HotkeyPort;
  loginItem: LoginItemPort;
  power: PowerPort;
  /** The browser host has no tray. */
  tray?: TrayPort;
}

export interface CoreOptions {
  host: HostPort;
  appVersion: string;
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  isTrustedSender: SenderPolicy;
  userDataDir: string;
  ports: CorePorts;
  /** Starts the embedded cloud API + Twilio sandbox when no cloud URL is configured. */
  startEmbedded?: StartEmbeddedStack;
  /** Electron's build of better-sqlite3 (src/main/hosts/electron/native-bindings.ts). */
  sqliteBinding?: string;
  deviceName?: string;
  /**
   * How long the start may wait for the first Twilio token once the session resumed with the cloud
   * answering (default 0: not at all). The browser host serves its page's bridge when the start
   * ends, and the page's first request is for that token ("Ready for calls" waits for it): had in
   * hand, it is answered at once and ahead of the session state, whose first render would hold it
   * up (issue #21). Electron's window loads for longer than the token takes, so it does not wait.
   */
  firstTokenWaitMs?: number;
  /** Things the host found before the core existed (e.g. no keychain): shown as notices. */
  startupNotices?: Notice[];
  /**
   * Told the renderer's connect origins (the CSP's connect-src) as soon as they are known, well
   * before the core is ready: the browser host serves its page from then on (the bridge waits).
   */
  onConnectOrigins?: (origins: string[]) => void;
  clock?: Clock;
  log?: (message: string, error?: unknown) => void;
}

/** What a host needs from the running services. */
export interface Core {
  router: IpcRouter;
  events: RendererEvents;
  notices: NoticeBoard;
  cloud: CloudTarget;
  cache: CallCache;
  session: SessionService;
  sync: SyncEngine;
  settings: SettingsService;
  embedded: EmbeddedStack | undefined;
  /** Origins the renderer may connect to, for the CSP. */
  connectOrigins(): string[];
  /** The only way to open a link in the OS browser (os/external-links.ts). */
  links: ExternalLinks;
  voiceConfig(): VoiceConfig;
  /** What the host's quit guard needs (hosts/quit-guard.ts): is a call on, what is unsaved, Keep editing. */
  quit: {
    phoneBusy(): boolean;
    /** The unsaved editors by name, as the windows last reported them (ipc/unsaved-work.ts): known at once, no round trip. */
    unsaved(): string[];
    /** Told after each change to `unsaved()`. Returns the unsubscribe. */
    onUnsavedChanged(listener: () => void): () => void;
    /** A window's page reloaded, crashed or closed (its IPC sender id): its edits went with it. */
    windowGone(windowId: number): void;
    /** Shows the window and tells it to bring its unsaved edits on screen. */
    keepEditing(): void;
    /** Told after each phone report from the window. Returns the unsubscribe. */
    onPhoneChanged(listener: () => void): () => void;
  };
  /** A tel:/callto: link from the OS or a second launch: show the window with the dialer prefilled. */
  openTelLink(link: string): boolean;
  dispose(): Promise<void>;
}
