import type { Notification } from '../../shared/cloud';
import type { PhoneCommandRefused } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { NotificationPort } from './ports';

const REMEMBERED = 500;

/** What the receptionist asked for, as the title of the notification that says it did not happen. */
const REFUSED_TITLE: Record<PhoneCommandRefused['command'], string> = {
  answer: 'The call was not answered',
  reject: 'The call was not rejected',
  hangUp: 'The call was not hung up',
  mute: 'Mute did not change',
};

/**
 * Turns internal notifications (from the cloud: missed calls, workflow "internal notification"
 * actions) and ringing calls into OS notifications. Each notification is shown once, however many
 * times sync or the realtime socket delivers it; a click opens its redirect target in the app.
 */
export class AlertService {
  private readonly shown = new Set<string>();

  constructor(
    private readonly deps: {
      port: NotificationPort;
      settings: () => Settings;
      onOpen: (redirect: string | null) => void;
      isWindowVisible: () => boolean;
    },
  ) {}

  notify(notification: Notification): boolean {
    if (notification.readAt || this.shown.has(notification.id)) return false;
    this.remember(notification.id);
    const prefs = this.deps.settings().notifications;
    if (!prefs.internalAlerts || !this.deps.port.supported) return false;
    this.deps.port.show(
      { id: notification.id, title: notification.title, body: notification.message, silent: !prefs.sound, urgent: false },
      () => this.deps.onOpen(notification.redirect),
    );
    return true;
  }

  /** A ringing call while the window is hidden: an alert the receptionist can click to answer. */
  incomingCall(callId: string, caller: string, detail: string | null): boolean {
    const prefs = this.deps.settings().notifications;
    if (!prefs.incomingCalls || !this.deps.port.supported || this.deps.isWindowVisible()) return false;
    this.deps.port.show(
      { id: `call:${callId}`, title: `Incoming call: ${caller}`, body: detail ?? 'Click to open the softphone.', silent: true, urgent: true },
      () => this.deps.onOpen(null),
    );
    return true;
  }

  /**
   * The phone refused a global hotkey or tray item while the window is hidden: without this the key
   * press does nothing visible. Shown whatever the alert preferences (it answers the receptionist's
   * own key press); one at a time, the latest replacing the last; a click shows the window.
   */
  commandRefused(refused: PhoneCommandRefused): boolean {
    if (!this.deps.port.supported || this.deps.isWindowVisible()) return false;
    this.deps.port.show(
      { id: 'phone-command-refused', title: REFUSED_TITLE[refused.command], body: refused.message, silent: !this.deps.settings().notifications.sound, urgent: false },
      () => this.deps.onOpen(null),
    );
    return true;
  }

  callEnded(callId: string): void {
    this.deps.port.close(`call:${callId}`);
  }

  private remember(id: string): void {
    this.shown.add(id);
    if (this.shown.size > REMEMBERED) this.shown.delete(this.shown.values().next().value!);
  }
}
