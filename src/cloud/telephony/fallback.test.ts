import { describe, expect, it, vi } from 'vitest';
import { noDnd } from '../../shared/cloud/entities';
import { CallbackUrls } from './callback-urls';
import { fallbackAnswerLog, fallbackCall, fallbackDialDone, LastKnownRoutes } from './fallback';
import type { CallerContact, NumberRoute } from './routing-cache';
import { webhookPaths } from './webhook-params';

const BASE = 'https://cloud.example.com';
const MAIN = '+13105550100';
const number: NumberRoute = {
  id: 'num_1', accountId: 'acc_1', locationId: 'loc_1', number: MAIN, name: 'Main', forwardingNumber: null, callerIdMode: 'caller',
  callConnect: false, whisperMessage: 'Beverly Hills line', recordCalls: false, ringTimeoutSeconds: 20, inboundRouting: 'ring_all', assignedUserId: null,
  ringAllUserIds: ['usr_a', 'usr_b'], locationUserIds: [],
};
const blocked: CallerContact = { id: 'con_1', name: 'Blocked', tags: [], assignedUserId: null, dnd: { ...noDnd(), call: { inbound: true, outbound: false } } };

function setup() {
  const warnings: object[] = [];
  const lastKnown = new LastKnownRoutes(3);
  const deps = { urls: new CallbackUrls(() => BASE), lastKnown, answered: (answer: object) => void warnings.push(answer) };
  const call = (over: Record<string, string> = {}) =>
    fallbackCall(deps, { CallSid: 'CA1', AccountSid: 'AC1', From: '+13105552007', To: MAIN, ErrorCode: '11200', ErrorUrl: `${BASE}${webhookPaths.inbound}`, ...over });
  return { lastKnown, deps, call, warnings };
}

describe('the voice fallback', () => {
  it('rings the users the number rang last time, with no call row to name, and its <Dial> ends at the fallback’s own action', () => {
    const { lastKnown, call, warnings } = setup();
    lastKnown.remember(MAIN, number, '+13105552007', null);
    const xml = call();
    expect(xml).toContain('<Identity>usr_a</Identity>');
    expect(xml).toContain('<Identity>usr_b</Identity>');
    // No call row to name: the softphone gets the caller's CallSid, which the row will be filed under.
    expect(xml).not.toContain('"callId"');
    expect(xml).toContain('<Parameter name="parentCallSid" value="CA1"/>');
    expect(xml).toContain(`action="${BASE}${webhookPaths.fallbackDialDone}"`);
    // Its callbacks say whose call it is and whom it rang: the first to come files the call, a missed one as missed.
    const whose = 'from=%2B13105552007&amp;to=%2B13105550100&amp;rang=usr_a%2Cusr_b';
    expect(xml).toContain(`statusCallback="${BASE}${webhookPaths.status}?${whose}"`);
    // Whisper needs the call's row: left out here.
    expect(xml).not.toContain(webhookPaths.whisper);
    expect(warnings).toEqual([{ callSid: 'CA1', errorCode: '11200', failedAt: webhookPaths.inbound }]);
  });

  it('takes a message when it knows nothing of the number, or when a later document of the call failed', () => {
    const { lastKnown, call } = setup();
    expect(call()).toMatch(/<Say>Sorry, we cannot take your call right now[^<]*<\/Say><Record [^>]*action="https:\/\/cloud\.example\.com\/twilio\/voice\/voicemail-done"/);
    lastKnown.remember(MAIN, number, '+13105552007', null);
    const afterRinging = call({ ErrorUrl: `${BASE}${webhookPaths.dialComplete}?callId=call_1` });
    expect(afterRinging).toContain('<Record ');
    expect(afterRinging).not.toContain('<Dial');
    // No row to name: the recording callback is told whose call it is, to file it if it comes first.
    expect(afterRinging).toContain(`recordingStatusCallback="${BASE}${webhookPaths.recording}?kind=voicemail&amp;from=%2B13105552007&amp;to=%2B13105550100"`);
  });

  it('keeps the routing decisions it can make from memory: DND rejects, forwarding forwards, nobody to ring takes a message', () => {
    const { lastKnown, call } = setup();
    lastKnown.remember(MAIN, number, '+13105559999', blocked);
    expect(call({ From: '+13105559999' })).toContain('<Reject');
    lastKnown.remember(MAIN, { ...number, forwardingNumber: '+14155550123' }, '+13105552007', null);
    expect(call()).toMatch(/<Dial [^>]*action="https:\/\/cloud\.example\.com\/twilio\/voice\/fallback-dial-done"[^>]*><Number[^>]*>\+14155550123<\/Number>/);
    lastKnown.remember(MAIN, { ...number, ringAllUserIds: [] }, '+13105552007', null);
    expect(call()).toContain('<Record ');
  });

  it('remembers a bounded number of callers, the oldest going first', () => {
    const lastKnown = new LastKnownRoutes(2);
    for (const from of ['+1', '+2', '+3']) lastKnown.remember(MAIN, number, from, blocked);
    expect(lastKnown.contact('acc_1', '+1')).toBeNull();
    expect(lastKnown.contact('acc_1', '+3')).toEqual(blocked);
    expect(lastKnown.number(MAIN)).toEqual(number);
  });

  it('after its <Dial>: a connected call hangs up, the rest leave a message', () => {
    const urls = new CallbackUrls(() => BASE);
    const done = (status: string, bridged?: 'true' | 'false') => fallbackDialDone(urls, { CallSid: 'CA1', AccountSid: 'AC1', DialCallStatus: status, ...(bridged ? { DialBridged: bridged } : {}) });
    expect(done('completed')).toContain('<Hangup');
    expect(done('completed')).not.toContain('<Record');
    for (const status of ['no-answer', 'busy', 'failed', 'canceled']) expect(done(status)).toContain('<Record ');
    expect(done('answered', 'false')).toContain('<Record ');
    const withParties = fallbackDialDone(urls, { CallSid: 'CA1', AccountSid: 'AC1', DialCallStatus: 'no-answer', From: '+13105552007', To: MAIN });
    expect(withParties).toContain(`${webhookPaths.recording}?kind=voicemail&amp;from=%2B13105552007&amp;to=%2B13105550100`);
  });

  it('logs its first answer of a quiet spell with the call, and a flood as one line counted by what failed', () => {
    vi.useFakeTimers();
    try {
      const lines: { fields: object; message: string }[] = [];
      const log = fallbackAnswerLog((fields, message) => lines.push({ fields, message }), 10_000);
      log.note({ callSid: 'CA1', errorCode: '11200', failedAt: webhookPaths.inbound });
      for (let i = 0; i < 300; i++) log.note({ callSid: `CA${i + 2}`, errorCode: '11200', failedAt: webhookPaths.inbound });
      log.note({ callSid: 'CAx', errorCode: null, failedAt: webhookPaths.dialComplete });
      vi.advanceTimersByTime(10_000);
      expect(lines).toEqual([
        { fields: { callSid: 'CA1', errorCode: '11200', failedAt: webhookPaths.inbound }, message: 'a call was answered by the voice fallback' },
        {
          fields: { answered: { [`${webhookPaths.inbound} (11200)`]: 300, [`${webhookPaths.dialComplete} (no error code)`]: 1 }, windowMs: 10_000 },
          message: 'the voice fallback answered 301 more call(s) in the last 10 s',
        },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
