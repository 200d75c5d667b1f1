import type { PhoneStateReport } from '../../shared/ipc';
import type { TrayPort } from '../os/ports';
import { computeTrayModel, type TrayMenuItem } from '../os/tray-model';
import type { CallerId } from './caller-id';

const IDLE: PhoneStateReport = { registration: 'unregistered', call: 'idle', callId: null, cloudCallId: null, remote: null, muted: false, waiting: null };

/**
 * Follows the phone as the renderer reports it (registration, the call's state, mute) and as main
 * knows it (unread alerts, sync): draws the tray and tells whoever listens about each report (the
 * ringing alert, the wrap-up's hotkeys).
 */
export class PhoneStateHub {
  private phone: PhoneStateReport = IDLE;
  private unread = 0;
  private openTasks = 0;
  private syncOnline = true;

  constructor(
    private readonly deps: {
      tray: TrayPort | undefined;
      callerId: CallerId;
      onMenu: (id: TrayMenuItem['id']) => void;
      onReport: (report: PhoneStateReport) => void;
    },
  ) {
    this.render();
  }

  get state(): PhoneStateReport {
    return this.phone;
  }

  report(next: PhoneStateReport): void {
    this.phone = next;
    this.deps.onReport(next);
    this.render();
  }

  setUnread(count: number): void {
    if (count === this.unread) return;
    this.unread = count;
    this.render();
  }

  /** The signed-in user's open Manual Actions tasks (the tray says how many). */
  setOpenTasks(count: number): void {
    if (count === this.openTasks) return;
    this.openTasks = count;
    this.render();
  }

  setSyncOnline(online: boolean): void {
    if (online === this.syncOnline) return;
    this.syncOnline = online;
    this.render();
  }

  /** Something main learnt changes what the tray says (a screen pop named the caller). */
  render(): void {
    const { callerId } = this.deps;
    const caller = this.phone.call === 'ringing' ? (callerId.describe(this.phone)?.caller ?? null) : null;
    const waiting = this.phone.waiting && { caller: callerId.describe(this.phone.waiting)?.caller ?? null, answerable: this.phone.waiting.answerable };
    this.deps.tray?.render(
      computeTrayModel({ registration: this.phone.registration, call: this.phone.call, caller, muted: this.phone.muted, waiting }, this.unread, this.syncOnline, this.openTasks),
      this.deps.onMenu,
    );
  }
}
