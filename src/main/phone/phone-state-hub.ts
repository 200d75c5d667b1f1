import type { PhoneStateReport } from '../../shared/ipc';
import type { AlertService } from '../os/alerts';
import type { HotkeyService } from '../os/hotkeys';
import type { TrayPort } from '../os/ports';
import { computeTrayModel, type TrayMenuItem } from '../os/tray-model';

/**
 * Everything in main that follows the phone's state as the renderer reports it: the tray, the
 * wrap-up disposition hotkeys, and the ringing-call alert while the window is hidden.
 */
export class PhoneStateHub {
  private phone: PhoneStateReport = {
    registration: 'unregistered',
    call: 'idle',
    callId: null,
    caller: null,
    callerDetail: null,
    muted: false,
    wrapUpDispositions: 0,
  };
  private unread = 0;
  private syncOnline = true;

  constructor(
    private readonly deps: {
      tray: TrayPort | undefined;
      hotkeys: HotkeyService;
      alerts: AlertService;
      onMenu: (id: TrayMenuItem['id']) => void;
    },
  ) {
    this.render();
  }

  get state(): PhoneStateReport {
    return this.phone;
  }

  report(next: PhoneStateReport): void {
    const previous = this.phone;
    this.phone = next;
    if (next.wrapUpDispositions !== previous.wrapUpDispositions) this.deps.hotkeys.setWrapUp(next.wrapUpDispositions);
    const startedRinging = next.call === 'ringing' && (previous.call !== 'ringing' || previous.callId !== next.callId);
    if (startedRinging && next.callId) this.deps.alerts.incomingCall(next.callId, next.caller ?? 'Unknown caller', next.callerDetail);
    if (previous.call === 'ringing' && previous.callId && (next.call !== 'ringing' || next.callId !== previous.callId)) {
      this.deps.alerts.callEnded(previous.callId);
    }
    this.render();
  }

  setUnread(count: number): void {
    if (count === this.unread) return;
    this.unread = count;
    this.render();
  }

  setSyncOnline(online: boolean): void {
    if (online === this.syncOnline) return;
    this.syncOnline = online;
    this.render();
  }

  private render(): void {
    this.deps.tray?.render(
      computeTrayModel({ registration: this.phone.registration, call: this.phone.call, caller: this.phone.caller, muted: this.phone.muted }, this.unread, this.syncOnline),
      this.deps.onMenu,
    );
  }
}
