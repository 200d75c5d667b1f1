import type { PhoneStateReport } from '../../shared/ipc';
import type { AlertService } from '../os/alerts';
import type { CallerId } from './caller-id';

/**
 * The OS notification for a ringing call while the window is hidden. Main raises it from the phone
 * report (which call rings) and names the caller itself (screen pop, contact cache); it closes when
 * the call stops ringing, and is replaced once when the screen pop names a caller shown as a number.
 */
export class RingingAlert {
  private ringing: { callId: string; caller: string } | null = null;
  private report: PhoneStateReport | null = null;

  constructor(private readonly deps: { alerts: Pick<AlertService, 'incomingCall' | 'callEnded'>; callerId: CallerId }) {}

  onReport(report: PhoneStateReport): void {
    this.report = report;
    const nowRinging = report.call === 'ringing' && report.callId ? report.callId : null;
    if (this.ringing && this.ringing.callId !== nowRinging) {
      this.deps.alerts.callEnded(this.ringing.callId);
      this.ringing = null;
    }
    if (nowRinging && !this.ringing) this.show(nowRinging, report);
  }

  /** A screen pop arrived: a ringing call shown by its number gets its name. */
  onScreenPop(): void {
    const report = this.report;
    if (!this.ringing || !report || report.callId !== this.ringing.callId) return;
    const text = this.deps.callerId.describe(report);
    if (!text || text.caller === this.ringing.caller) return;
    this.deps.alerts.callEnded(this.ringing.callId);
    this.show(this.ringing.callId, report);
  }

  private show(callId: string, report: PhoneStateReport): void {
    const text = this.deps.callerId.describe(report);
    const caller = text?.caller ?? 'Unknown caller';
    this.ringing = { callId, caller };
    this.deps.alerts.incomingCall(callId, caller, text?.detail ?? null);
  }
}
