import { describe, expect, it } from 'vitest';
import type { IncomingCall } from '../../shared/cloud';
import type { PhoneStateReport } from '../../shared/ipc';
import type { ScreenPopView } from '../../shared/ipc/views';
import { CallerId } from './caller-id';
import { RingingAlert } from './ringing-alert';

const report = (over: Partial<PhoneStateReport> = {}): PhoneStateReport => ({
  registration: 'registered',
  call: 'ringing',
  callId: 'r1',
  cloudCallId: 'call_1',
  remote: '+14155550123',
  muted: false,
  waiting: null,
  ...over,
});
const pop = (over: Partial<IncomingCall> = {}): IncomingCall => ({
  callId: 'call_1',
  twilioCallSid: 'CA1',
  from: '+14155550123',
  to: '+13105550000',
  phoneNumberId: 'pn_1',
  phoneNumberName: 'Front Desk',
  whisperMessage: null,
  locationId: null,
  contact: { id: 'ct_1', name: 'Jordan Lee', tags: [], assignedUserId: null },
  ...over,
});

function setup(cached: Record<string, string> = {}) {
  const events: string[] = [];
  const callerId = new CallerId({
    findByPhone: (number): ScreenPopView | null =>
      cached[number] ? { contact: { name: cached[number] } as ScreenPopView['contact'], assignedUser: null, lastCall: null } : null,
  });
  const alert = new RingingAlert({
    callerId,
    alerts: {
      incomingCall: (callId, caller, detail) => (events.push(`show ${callId}: ${caller} / ${detail}`), true),
      callEnded: (callId) => void events.push(`close ${callId}`),
    },
  });
  return { alert, callerId, events };
}

describe('RingingAlert', () => {
  it('names the caller from the cloud’s screen pop, and closes the alert when the call stops ringing', () => {
    const { alert, callerId, events } = setup();
    callerId.remember(pop());
    alert.onReport(report());
    alert.onReport(report()); // the same call reported again: one alert
    alert.onReport(report({ call: 'in-call' }));
    expect(events).toEqual(['show r1: Jordan Lee / +14155550123', 'close r1']);
  });

  it('alerts a call that rings while another is in progress (call waiting), and closes it when that call is answered or stops', () => {
    const { alert, callerId, events } = setup();
    callerId.remember(pop({ callId: 'call_2', from: '+14155550199', contact: { id: 'ct_2', name: 'Sam Rivera', tags: [], assignedUserId: null } }));
    const onCall = report({ call: 'in-call', callId: 'r1', remote: '+14155550123' });
    alert.onReport(onCall);
    alert.onReport({ ...onCall, waiting: { callId: 'r2', cloudCallId: 'call_2', remote: '+14155550199', answerable: false } });
    alert.onReport({ ...onCall, waiting: { callId: 'r2', cloudCallId: 'call_2', remote: '+14155550199', answerable: true } }); // the first call put on hold: the same ring
    alert.onReport({ ...onCall, callId: 'r2', cloudCallId: 'call_2', remote: '+14155550199' }); // answered
    expect(events).toEqual(['show r2: Sam Rivera / +14155550199', 'close r2']);
  });

  it('falls back to the contact cache, then to the number', () => {
    const cached = setup({ '+14155550123': 'Ada Lovelace' });
    cached.alert.onReport(report({ cloudCallId: null }));
    const unknown = setup();
    unknown.alert.onReport(report({ cloudCallId: null }));
    expect(cached.events).toEqual(['show r1: Ada Lovelace / +14155550123']);
    expect(unknown.events).toEqual(['show r1: +14155550123 / null']);
  });

  it('replaces an alert shown by number once the screen pop names the caller', () => {
    const { alert, callerId, events } = setup();
    alert.onReport(report());
    callerId.remember(pop());
    alert.onScreenPop();
    alert.onScreenPop();
    expect(events).toEqual(['show r1: +14155550123 / null', 'close r1', 'show r1: Jordan Lee / +14155550123']);
  });

  it('a second ringing call closes the first one’s alert and shows its own', () => {
    const { alert, events } = setup();
    alert.onReport(report());
    alert.onReport(report({ callId: 'r2', cloudCallId: null, remote: 'client:front-desk' }));
    alert.onReport(report({ call: 'idle', callId: null, cloudCallId: null, remote: null }));
    expect(events).toEqual(['show r1: +14155550123 / null', 'close r1', 'show r2: client:front-desk / null', 'close r2']);
  });
});
