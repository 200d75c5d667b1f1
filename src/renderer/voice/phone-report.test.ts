import { describe, expect, it } from 'vitest';
import { phoneStateSchema } from '../../shared/ipc';
import { callTransition, incomingCall, outgoingCall, type CallPhase, type CallState } from './call-machine';
import type { DeviceState } from './device-machine';
import { focusCall, sameReport, toPhoneReport } from './phone-report';

const registered: DeviceState = { status: 'registered', since: 1 };
const base = { from: '+13105550100', to: 'client:user_reception', callSid: 'CA1', customParameters: {}, at: 1 };
const inPhase = (call: CallState, phase: CallPhase): CallState => ({ ...call, phase });

const ringingCall = incomingCall({ ...base, id: 'ring' });
const openCall = inPhase(incomingCall({ ...base, id: 'open', from: '+13105550111' }), { name: 'open', connectedAt: 2, reconnecting: false });
const wrapUpCall = inPhase(incomingCall({ ...base, id: 'wrap' }), { name: 'wrap-up', ending: { kind: 'remote-hangup' }, connectedAt: 2, endedAt: 3 });
const dialingCall = outgoingCall({ ...base, id: 'dial', from: '+13105550100', to: '+13105550122', callSid: null });

describe('toPhoneReport', () => {
  it('idle when there are no calls, with the registration as it is', () => {
    for (const device of [registered, { status: 'offline', reason: 'network', message: 'x', since: 1 }, { status: 'degraded', reason: 'wake', since: 1 }] as DeviceState[]) {
      const report = toPhoneReport({ device, calls: [] }, { wrapUpDispositions: 7 });
      expect(report).toEqual({ registration: device.status, call: 'idle', callId: null, caller: null, callerDetail: null, muted: false, wrapUpDispositions: 0 });
      expect(phoneStateSchema.parse(report)).toEqual(report);
    }
  });

  it('ringing shows the caller number, or the contact name with the number as detail', () => {
    expect(toPhoneReport({ device: registered, calls: [ringingCall] }, { wrapUpDispositions: 0 })).toMatchObject({
      call: 'ringing',
      callId: 'ring',
      caller: '+13105550100',
      callerDetail: null,
    });
    const named = { ...ringingCall, customParameters: { contactName: 'Ada Lovelace' } };
    expect(toPhoneReport({ device: registered, calls: [named] }, { wrapUpDispositions: 0 })).toMatchObject({ caller: 'Ada Lovelace', callerDetail: '+13105550100' });
    expect(toPhoneReport({ device: registered, calls: [ringingCall] }, { wrapUpDispositions: 0, nameFor: () => 'From cache' })).toMatchObject({
      caller: 'From cache',
      callerDetail: '+13105550100',
    });
  });

  it('the call we are on wins over a second ringing call; a ringing call wins over a wrap-up', () => {
    const muted = { ...openCall, muted: true };
    expect(toPhoneReport({ device: registered, calls: [ringingCall, muted] }, { wrapUpDispositions: 5 })).toMatchObject({
      call: 'in-call',
      callId: 'open',
      caller: '+13105550111',
      muted: true,
      wrapUpDispositions: 0,
    });
    expect(toPhoneReport({ device: registered, calls: [wrapUpCall, ringingCall] }, { wrapUpDispositions: 5 })).toMatchObject({ call: 'ringing', callId: 'ring' });
    expect(focusCall([wrapUpCall, dialingCall])?.id).toBe('dial');
  });

  it('an outgoing call reports the number dialed', () => {
    expect(toPhoneReport({ device: registered, calls: [dialingCall] }, { wrapUpDispositions: 0 })).toMatchObject({ call: 'in-call', caller: '+13105550122' });
  });

  it('wrap-up binds the disposition count, clamped to 0–10', () => {
    expect(toPhoneReport({ device: registered, calls: [wrapUpCall] }, { wrapUpDispositions: 4 })).toMatchObject({ call: 'wrap-up', wrapUpDispositions: 4 });
    expect(toPhoneReport({ device: registered, calls: [wrapUpCall] }, { wrapUpDispositions: 25 }).wrapUpDispositions).toBe(10);
    expect(toPhoneReport({ device: registered, calls: [wrapUpCall] }, { wrapUpDispositions: -1 }).wrapUpDispositions).toBe(0);
  });

  it('always satisfies the contract schema, even with oversized names', () => {
    const long = { ...ringingCall, id: 'x'.repeat(300), customParameters: { contactName: 'N'.repeat(500) } };
    const report = toPhoneReport({ device: registered, calls: [long] }, { wrapUpDispositions: 0 });
    expect(() => phoneStateSchema.parse(report)).not.toThrow();
  });

  it('every phase maps to a valid report through a real call life', () => {
    let call = incomingCall({ ...base, id: 'life' });
    const seen: string[] = [];
    for (const event of [
      { type: 'accept-requested', at: 2 },
      { type: 'accepted', at: 3, callSid: 'CA1' },
      { type: 'mute-changed', muted: true },
      { type: 'disconnected', at: 4, by: 'remote', error: null },
    ] as const) {
      call = callTransition(call, event);
      const report = phoneStateSchema.parse(toPhoneReport({ device: registered, calls: [call] }, { wrapUpDispositions: 3 }));
      seen.push(`${report.call}${report.muted ? '+muted' : ''}`);
    }
    expect(seen).toEqual(['in-call', 'in-call', 'in-call+muted', 'wrap-up']);
  });

  it('sameReport tells a change apart', () => {
    const a = toPhoneReport({ device: registered, calls: [openCall] }, { wrapUpDispositions: 0 });
    expect(sameReport(null, a)).toBe(false);
    expect(sameReport(a, { ...a })).toBe(true);
    expect(sameReport(a, { ...a, muted: true })).toBe(false);
  });
});
