import type { PhoneStateReport } from '../../shared/ipc';
import type { AlertService } from '../os/alerts';
import type { CallerId } from './caller-id';

type RingingCall = { callId: string; cloudCallId: string | null; remote: string | null };

/**
 * The OS notification for a ringing call while the window is hidden. Main raises it from the phone
 * report (which call rings) and names the caller itself (screen pop, contact cache); it closes when
 * the call stops ringing, and is replaced once when the screen pop names a caller shown as a number.
 * A call ringing while another is in progress (call waiting, `report.waiting`) is alerted the same way.
 */
export class RingingAlert {
  private ringing: { callId: string; caller: string } | null = null;
  /** The ringing call as the last report told it: the report's own call, or the one waiting beside it. */
  private ringingCall: RingingCall | null = null;

  constructor(private readonly deps: { alerts: Pick<AlertService, 'incomingCall' | 'callEnded'>; callerId: CallerId }) {}

  onReport(report: PhoneStateReport): void {
    this.ringingCall = report.call === 'ringing' && report.callId ? { ...report, callId: report.callId } : report.call === 'in-call' ? report.waiting : null;
    const nowRinging = this.ringingCall?.callId ?? null;
    if (this.ringing && this.ringing.callId !== nowRinging) {
      this.deps.alerts.callEnded(this.ringing.callId);
      this.ringing = null;
    }
    if (this.ringingCall && !this.ringing) this.show(this.ringingCall);
  }

  /** A screen pop arrived: a ringing call shown by its number gets its name. */
  onScreenPop(): void {
    const call = this.ringingCall;
    if (!this.ringing || !call || call.callId !== this.ringing.callId) return;
    const text = this.deps.callerId.describe(call);
    if (!text || text.caller === this.ringing.caller) return;
    this.deps.alerts.callEnded(this.ringing.callId);
    this.show(call);
  }

  private show(call: RingingCall): void {
    const { callId } = call;
    const text = this.deps.callerId.describe(call);
    const caller = text?.caller ?? 'Unknown caller';
    this.ringing = { callId, caller };
    this.deps.alerts.incomingCall(callId, caller, text?.detail ?? null);
  }
}
