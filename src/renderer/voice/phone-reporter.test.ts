import { describe, expect, it } from 'vitest';
import type { PhoneStateReport } from '../../shared/ipc';
import { startPhoneReporter } from './phone-reporter';
import { FakeBridge, FakeNetwork } from './testing/fake-bridge';
import { settle } from './testing/deferred';
import { fakeDeviceFactory } from './testing/fake-sdk';
import { ManualClock } from './testing/manual-clock';
import { VoiceEngine } from './voice-engine';

describe('startPhoneReporter', () => {
  it('reports to main on every change of the report, and only then', async () => {
    const clock = new ManualClock();
    const factory = fakeDeviceFactory();
    const engine = new VoiceEngine({ bridge: new FakeBridge(() => clock.now()), createDevice: factory.create, clock, network: new FakeNetwork(), log: () => undefined });
    const reports: PhoneStateReport[] = [];
    let dispositions = 0;
    const reporter = startPhoneReporter(engine, {
      reportState: async (report) => {
        reports.push(report);
        return { ok: true, value: { accepted: true } };
      },
      wrapUpDispositions: () => dispositions,
    });
    engine.start();
    await settle();
    const device = factory.devices[0]!;
    const call = device.invite({ CallSid: 'CA1', From: '+13105550100', To: 'client:u' });
    const id = engine.getState().calls[0]!.id;
    engine.accept(id);
    call.edgeAnswer();
    call.warning('high-rtt'); // not in the report: no new report
    call.edgeHangup();
    await settle();
    dispositions = 6;
    reporter.refresh();
    reporter.refresh();
    expect(reports.map((r) => `${r.registration}/${r.call}/${r.wrapUpDispositions}`)).toEqual([
      'unregistered/idle/0',
      'registering/idle/0',
      'registered/idle/0',
      'registered/ringing/0',
      'registered/in-call/0',
      'registered/wrap-up/0',
      'registered/wrap-up/6',
    ]);
    reporter.stop();
    engine.stop();
    expect(reports).toHaveLength(7);
  });
});
