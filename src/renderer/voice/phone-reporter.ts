import type { IpcResult, PhoneStateReport } from '../../shared/ipc';
import { sameReport, toPhoneReport } from './phone-report';
import type { VoiceEngine } from './voice-engine';
import { consoleVoiceLog } from './console-log';

export interface PhoneReporterOptions {
  reportState(report: PhoneStateReport): Promise<IpcResult<{ accepted: boolean }>>;
  /**
   * Holds back the report that a call has started ringing until `send` (returns the cancel): the
   * app sends it once the ringing panel is on screen (`afterFrameOnScreen`). Without it, at once.
   */
  afterRing?: (send: () => void) => () => void;
  log?: (message: string, detail?: unknown) => void;
}

/**
 * Sends `phone.reportState` to main whenever the report changes (not on every engine change).
 * `refresh()` sends it again if it changed since. Returns { refresh, stop }.
 *
 * The report that a call rings waits for the ringing panel (issue #21): the message to main was a
 * tenth of the ring's path from the invite to the panel in the DOM (ring bench CPU profile). Main's
 * tray, its alert for a hidden window (there the wait is one task) and its hold on the digit hotkeys
 * follow a frame later. Each report is still sent, in order: a change while the ring's report
 * waits sends the ring's first, then the change.
 */
export function startPhoneReporter(engine: VoiceEngine, options: PhoneReporterOptions): { refresh(): void; stop(): void } {
  let last: PhoneStateReport | null = null;
  let ring: { report: PhoneStateReport; cancel: () => void } | null = null;
  const log = options.log ?? consoleVoiceLog;
  const deliver = (report: PhoneStateReport) => {
    last = report;
    options.reportState(report).then(
      (result) => {
        if (!result.ok) log('phone.reportState refused', result.error);
      },
      (error: unknown) => log('phone.reportState failed', error),
    );
  };
  const deliverRing = () => {
    if (!ring) return;
    const { report, cancel } = ring;
    ring = null;
    cancel();
    deliver(report);
  };
  const send = () => {
    const report = toPhoneReport(engine.getState());
    if (sameReport(ring?.report ?? last, report)) return;
    if (ring) {
      if (report.call === 'ringing' && report.callId === ring.report.callId) {
        ring.report = report; // the same ring, told more (the caller's details): still waiting
        return;
      }
      deliverRing(); // `last` is now the ring's report, which differs from this one (checked above)
    }
    if (options.afterRing && report.call === 'ringing' && (last?.call !== 'ringing' || last.callId !== report.callId)) {
      const waiting = { report, cancel: () => undefined as void };
      ring = waiting;
      waiting.cancel = options.afterRing(() => {
        if (ring === waiting) deliverRing();
      });
      return;
    }
    deliver(report);
  };
  const off = engine.subscribe(send);
  send();
  return {
    refresh: () => {
      deliverRing();
      send();
    },
    stop: () => {
      ring?.cancel();
      ring = null;
      off();
    },
  };
}
