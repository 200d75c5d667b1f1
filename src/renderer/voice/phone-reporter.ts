import type { IpcResult, PhoneStateReport } from '../../shared/ipc';
import { sameReport, toPhoneReport } from './phone-report';
import type { VoiceEngine } from './voice-engine';
import { consoleVoiceLog } from './console-log';

export interface PhoneReporterOptions {
  reportState(report: PhoneStateReport): Promise<IpcResult<{ accepted: boolean }>>;
  log?: (message: string, detail?: unknown) => void;
}

/**
 * Sends `phone.reportState` to main whenever the report changes (not on every engine change).
 * `refresh()` sends it again if it changed since. Returns { refresh, stop }.
 */
export function startPhoneReporter(engine: VoiceEngine, options: PhoneReporterOptions): { refresh(): void; stop(): void } {
  let last: PhoneStateReport | null = null;
  const log = options.log ?? consoleVoiceLog;
  const send = () => {
    const report = toPhoneReport(engine.getState());
    if (sameReport(last, report)) return;
    last = report;
    options.reportState(report).then(
      (result) => {
        if (!result.ok) log('phone.reportState refused', result.error);
      },
      (error: unknown) => log('phone.reportState failed', error),
    );
  };
  const off = engine.subscribe(send);
  send();
  return { refresh: send, stop: off };
}
