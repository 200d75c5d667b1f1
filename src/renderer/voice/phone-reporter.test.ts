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

  describe("a ring's report waits for the ringing panel (afterRing)", () => {
    const setUp = async () => {
      const clock = new ManualClock();
      const factory = fakeDeviceFactory();
      const engine = new VoiceEngine({ bridge: new FakeBridge(() => clock.now()), createDevice: factory.create, clock, network: new FakeNetwork(), log: () => undefined });
      const sent: string[] = [];
      const waiting: Array<{ send: () => void; cancelled: boolean }> = [];
      const reporter = startPhoneReporter(engine, {
        reportState: async (report) => {
          sent.push(`${report.call}${report.remote ? `/${report.remote}` : ''}`);
          return { ok: true, value: { accepted: true } };
        },
        afterRing: (send) => {
          const wait = { send, cancelled: false };
          waiting.push(wait);
          return () => (wait.cancelled = true);
        },
      });
      engine.start();
      await settle();
      return { engine, device: factory.devices[0]!, sent, waiting, reporter };
    };

    it('sent once the panel is on screen, not before; the reports before it at once', async () => {
      const { device, sent, waiting, reporter, engine } = await setUp();
      expect(sent).toEqual(['idle', 'idle', 'idle']);
      device.invite({ CallSid: 'CA1', From: '+13105550100', To: 'client:u' });
      expect(sent).toHaveLength(3);
      expect(waiting).toHaveLength(1);
      waiting[0]!.send();
      expect(sent.at(-1)).toBe('ringing/+13105550100');
      waiting[0]!.send(); // a late second call of send: nothing more
      expect(sent).toHaveLength(4);
      reporter.stop();
      engine.stop();
    });

    it('a change while it waits (answered by hotkey before the paint): the ring is sent first, then the change, and the wait is cancelled', async () => {
      const { device, engine, sent, waiting, reporter } = await setUp();
      const call = device.invite({ CallSid: 'CA2', From: '+13105550101', To: 'client:u' });
      engine.accept(engine.getState().calls[0]!.id);
      call.edgeAnswer();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(sent.slice(3)).toEqual(['ringing/+13105550101', 'in-call/+13105550101']);
      expect(waiting[0]!.cancelled).toBe(true);
      reporter.stop();
      engine.stop();
    });

    it('a call that stops ringing before the paint: ringing, then idle, in that order', async () => {
      const { device, engine, sent, reporter } = await setUp();
      const call = device.invite({ CallSid: 'CA3', From: '+13105550102', To: 'client:u' });
      call.edgeCancel();
      await settle();
      expect(sent.slice(3, 5)).toEqual(['ringing/+13105550102', expect.stringMatching(/^(idle|wrap-up)/)]);
      reporter.stop();
      engine.stop();
    });

    it('refresh sends a waiting ring at once; stop cancels it', async () => {
      const first = await setUp();
      first.device.invite({ CallSid: 'CA4', From: '+13105550103', To: 'client:u' });
      first.reporter.refresh();
      expect(first.sent.at(-1)).toBe('ringing/+13105550103');
      expect(first.waiting[0]!.cancelled).toBe(true);
      first.reporter.stop();
      first.engine.stop();

      const second = await setUp();
      second.device.invite({ CallSid: 'CA5', From: '+13105550104', To: 'client:u' });
      second.reporter.stop();
      expect(second.waiting[0]!.cancelled).toBe(true);
      second.waiting[0]!.send(); // too late: stopped
      expect(second.sent).not.toContain('ringing/+13105550104');
      second.engine.stop();
    });
  });
});
