import { describe, expect, it } from 'vitest';
import type { PhoneStateReport } from '../../shared/ipc';
import { startPhoneReporter } from './phone-reporter';
import { FakeBridge, FakeNetwork } from './testing/fake-bridge';
import { settle } from './testing/deferred';
import { fakeDeviceFactory } from './testing/fake-sdk';
import { ManualClock } from '../../shared/testing/manual-clock';
import { VoiceEngine } from './voice-engine';

describe('startPhoneReporter', () => {
  it('reports to main on every change of the report, and only then', async () => {
    const clock = new ManualClock();
    const factory = fakeDeviceFactory();
    const engine = new VoiceEngine({ bridge: new FakeBridge(() => clock.now()), createDevice: factory.create, clock, network: new FakeNetwork(), log: () => undefined });
    const reports: PhoneStateReport[] = [];
    const reporter = startPhoneReporter(engine, {
      reportState: async (report) => {
        reports.push(report);
        return { ok: true, value: { accepted: true } };
      },
    });
    engine.start();
    await settle();
    const device = factory.devices[0]!;
    const call = device.invite({ CallSid: 'CA1', From: '+13105550100', To: 'client:u' });
    const id = engine.getState().calls[0]!.id;
    engine.accept(id);
    call.edgeAnswer();
    // The engine's listeners hear of the answer in the task after it left (answer-window.ts).
    await new Promise((resolve) => setTimeout(resolve, 0));
    call.warning('high-rtt'); // not in the report: no new report
    call.edgeHangup();
    await settle();
    reporter.refresh(); // nothing changed: nothing sent
    expect(reports.map((r) => `${r.registration}/${r.call}/${r.remote ?? '-'}`)).toEqual([
      'unregistered/idle/-',
      'registering/idle/-',
      'registered/idle/-',
      'registered/ringing/+13105550100',
      'registered/in-call/+13105550100',
      'registered/wrap-up/+13105550100',
    ]);
    reporter.stop();
    engine.stop();
    expect(reports).toHaveLength(6);
  });
});
