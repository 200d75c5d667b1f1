import type { AppInfo } from '../../shared/ipc';

/** What a host (Electron or the browser host) provides to the services: its window and its process. */
export interface HostPort {
  readonly kind: AppInfo['host'];
  /** Brings the phone window to the front; false when the host has no window to show. */
  showWindow(): boolean;
  /** Opens an http(s) link in the OS browser (already validated by the contract). */
  openExternal(url: string): Promise<boolean>;
  /** Whether the receptionist can see the phone window right now (alerts only when they cannot). */
  isWindowVisible(): boolean;
  quit(): void;
  /** A dialog of main's own (not the page's) that asks before something sensitive; absent where the host has none (browser host). */
  confirm?: ConfirmPort;
}

/**
 * Shows the question in a native dialog; true only when the user chose the confirm button. The
 * cancel button (default "Cancel") comes first and is the default and Escape. An aborted `signal`
 * closes the dialog as if cancelled.
 */
export type ConfirmPort = (question: ConfirmQuestion) => Promise<boolean>;

export interface ConfirmQuestion {
  message: string;
  detail: string;
  confirmLabel: string;
  cancelLabel?: string;
  signal?: AbortSignal;
}
