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
      const report = toPhoneReport({ device, calls: [] });
      expect(report).toEqual({ registration: device.status, call: 'idle', callId: null, cloudCallId: null, remote: null, muted: false, waiting: null });
      expect(phoneStateSchema.parse(report)).toEqual(report);
    }
  });

  it('ringing reports the caller’s number and the cloud’s call id (main names the caller)', () => {
    expect(toPhoneReport({ device: registered, calls: [ringingCall] })).toMatchObject({ call: 'ringing', callId: 'ring', remote: '+13105550100', cloudCallId: null });
    const fromCloud = { ...ringingCall, customParameters: { callId: 'call_42', contactName: 'Ada Lovelace' } };
    expect(toPhoneReport({ device: registered, calls: [fromCloud] })).toMatchObject({ remote: '+13105550100', cloudCallId: 'call_42' });
  });

  it('the call we are on wins over a second ringing call; a ringing call wins over a wrap-up', () => {
    const muted = { ...openCall, muted: true };
    expect(toPhoneReport({ device: registered, calls: [ringingCall, muted] })).toMatchObject({
      call: 'in-call',
      callId: 'open',
      remote: '+13105550111',
      muted: true,
    });
    expect(toPhoneReport({ device: registered, calls: [wrapUpCall, ringingCall] })).toMatchObject({ call: 'ringing', callId: 'ring', waiting: null });
    expect(focusCall([wrapUpCall, dialingCall])?.id).toBe('dial');
  });

  it('a call ringing beside the call in progress is reported as waiting: answerable only when every other call is fully on hold', () => {
    const waiting = { callId: 'ring', cloudCallId: null, remote: '+13105550100' };
    expect(toPhoneReport({ device: registered, calls: [openCall, ringingCall] }).waiting).toEqual({ ...waiting, answerable: false });
    const held = { ...openCall, hold: 'held' as const };
    const report = toPhoneReport({ device: registered, calls: [held, ringingCall] });
    expect(report).toMatchObject({ call: 'in-call', callId: 'open', waiting: { ...waiting, answerable: true } });
    expect(phoneStateSchema.parse(report)).toEqual(report);
    // With a chosen microphone both calls would share it: Answer refuses, as the engine does.
    expect(toPhoneReport({ device: registered, calls: [held, ringingCall], audio: { microphone: 'mic-1' } }).waiting?.answerable).toBe(false);
    // A change of the waiting call alone is a new report.
    expect(sameReport(toPhoneReport({ device: registered, calls: [openCall, ringingCall] }), report)).toBe(false);
    expect(sameReport(toPhoneReport({ device: registered, calls: [openCall] }), toPhoneReport({ device: registered, calls: [openCall, ringingCall] }))).toBe(false);
  });

  it('an outgoing call reports the number dialed', () => {
    expect(toPhoneReport({ device: registered, calls: [dialingCall] })).toMatchObject({ call: 'in-call', remote: '+13105550122' });
  });

  it('a call in wrap-up is reported as such (main binds the disposition hotkeys)', () => {
    expect(toPhoneReport({ device: registered, calls: [wrapUpCall] })).toMatchObject({ call: 'wrap-up', callId: 'wrap', muted: false });
  });

  it('always satisfies the contract schema, even with oversized values', () => {
    const long = { ...ringingCall, id: 'x'.repeat(300), from: '+1'.padEnd(400, '5'), customParameters: { callId: 'c'.repeat(500) } };
    const report = toPhoneReport({ device: registered, calls: [long] });
    expect(() => phoneStateSchema.parse(report)).not.toThrow();
    expect(report.cloudCallId).toBeNull();
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
      const report = phoneStateSchema.parse(toPhoneReport({ device: registered, calls: [call] }));
      seen.push(`${report.call}${report.muted ? '+muted' : ''}`);
    }
    expect(seen).toEqual(['in-call', 'in-call', 'in-call+muted', 'wrap-up']);
  });

  it('sameReport tells a change apart', () => {
    const a = toPhoneReport({ device: registered, calls: [openCall] });
    expect(sameReport(null, a)).toBe(false);
    expect(sameReport(a, { ...a })).toBe(true);
    expect(sameReport(a, { ...a, muted: true })).toBe(false);
    expect(sameReport(a, { ...a, cloudCallId: 'call_1' })).toBe(false);
  });
});
