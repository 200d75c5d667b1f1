import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import type * as twiml from './twiml';
import { dialClient, dialNumber, empty, hangUp, reject, ringClients, sayAndHangUp, voicemail, whisper } from './twiml';

/** The same documents built with the official VoiceResponse: the writer must match them byte for byte. */
const { VoiceResponse } = twilio.twiml;
const reference = {
  sayAndHangUp(message: string) {
    const r = new VoiceResponse();
    r.say(message);
    r.hangup();
    return r.toString();
  },
  reject() {
    const r = new VoiceResponse();
    r.reject({ reason: 'busy' });
    return r.toString();
  },
  hangUp() {
    const r = new VoiceResponse();
    r.hangup();
    return r.toString();
  },
  empty: () => new VoiceResponse().toString(),
  ringClients(o: twiml.RingClientsOptions) {
    const r = new VoiceResponse();
    const dial = r.dial({
      answerOnBridge: true, timeout: o.timeoutSeconds, action: o.actionUrl, method: 'POST',
      ...(o.callerId ? { callerId: o.callerId } : {}),
      ...(o.record ? { record: 'record-from-answer-dual' as const, recordingStatusCallback: o.recordingUrl, recordingStatusCallbackEvent: ['completed'] } : {}),
    });
    for (const identity of o.identities) {
      const client = dial.client({
        statusCallback: o.statusUrl, statusCallbackEvent: o.parentCallSid ? ['ringing', 'answered', 'completed'] : ['answered'], statusCallbackMethod: 'POST',
        ...(o.whisperUrl ? { url: o.whisperUrl, method: 'POST' } : {}),
      });
      client.identity(identity);
      if (o.callId) client.parameter({ name: 'callId', value: o.callId });
      else if (o.parentCallSid) client.parameter({ name: 'parentCallSid', value: o.parentCallSid });
    }
    return r.toString();
  },
  dialNumber(o: Parameters<typeof dialNumber>[0]) {
    const r = new VoiceResponse();
    const dial = r.dial({
      answerOnBridge: true,
      ...(o.timeoutSeconds !== undefined ? { timeout: o.timeoutSeconds } : {}),
      ...(o.callerId ? { callerId: o.callerId } : {}),
      ...(o.actionUrl ? { action: o.actionUrl, method: 'POST' } : {}),
      ...(o.record && o.recordingUrl ? { record: 'record-from-answer-dual' as const, recordingStatusCallback: o.recordingUrl, recordingStatusCallbackEvent: ['completed'] } : {}),
    });
    dial.number(
      {
        ...(o.statusUrl ? { statusCallback: o.statusUrl, statusCallbackEvent: o.unseenCall ? ['initiated', 'ringing', 'answered', 'completed'] : ['answered', 'completed'], statusCallbackMethod: 'POST' as const } : {}),
        ...(o.whisperUrl ? { url: o.whisperUrl, method: 'POST' as const } : {}),
      },
      o.number,
    );
    return r.toString();
  },
  dialClient(identity: string) {
    const r = new VoiceResponse();
    r.dial().client(identity);
    return r.toString();
  },
  voicemail(o: Parameters<typeof voicemail>[0]) {
    const r = new VoiceResponse();
    r.say(o.greeting);
    r.record({ maxLength: 120, playBeep: true, action: o.actionUrl, method: 'POST', recordingStatusCallback: o.recordingUrl, recordingStatusCallbackEvent: ['completed'] });
    r.hangup();
    return r.toString();
  },
  whisper(o: Parameters<typeof whisper>[0]) {
    const r = new VoiceResponse();
    if (o.callConnect) {
      r.gather({ numDigits: 1, timeout: 10, action: o.acceptUrl, method: 'POST' }).say(`${o.message ? `${o.message}. ` : ''}Press any key to accept the call.`);
      r.hangup();
    } else if (o.message) {
      r.say(o.message);
    }
    return r.toString();
  },
};

/** Awkward strings: markup, quotes, whitespace escapes, non-ASCII, astral characters, entity look-alikes. */
const nasty = ['plain', `a <b> & "c" 'd' ]]> e`, 'tab\there\nnew\r\nline', 'é ü 北京 😀', '&amp; &#x41;', '  spaced  ', 'x'];

describe('TwiML', () => {
  it('rings each identity with the whisper URL and escapes values', () => {
    const xml = ringClients({
      identities: ['usr_a', 'usr_b'],
      callId: 'call_1',
      timeoutSeconds: 25,
      record: true,
      whisperUrl: 'https://x/twilio/voice/whisper?callId=call_1&a=<b>',
      actionUrl: 'https://x/dial',
      statusUrl: 'https://x/status',
      recordingUrl: 'https://x/rec',
    });
    expect(xml).toContain('timeout="25"');
    expect(xml).toContain('record="record-from-answer-dual"');
    expect(xml.match(/<Client /g)).toHaveLength(2);
    expect(xml).toContain('<Identity>usr_b</Identity>');
    expect(xml).toContain('&amp;a=&lt;b');
  });
  it("asks for a softphone leg's answer only, and for every event when the voice fallback rings (no row yet)", () => {
    const o = { identities: ['usr_a'], timeoutSeconds: 20, record: false, actionUrl: 'https://x/a', statusUrl: 'https://x/s', recordingUrl: 'https://x/r' };
    expect(ringClients({ ...o, callId: 'call_1' })).toContain('statusCallbackEvent="answered"');
    expect(ringClients({ ...o, parentCallSid: 'CA1' })).toContain('statusCallbackEvent="ringing answered completed"');
  });
  it("asks for a number leg's answer and end, and for every event on the voice fallback's forward (no row yet)", () => {
    expect(dialNumber({ number: '+13105550177', statusUrl: 'https://x/s' })).toContain('statusCallbackEvent="answered completed"');
    expect(dialNumber({ number: '+13105550177', statusUrl: 'https://x/s', unseenCall: true })).toContain('statusCallbackEvent="initiated ringing answered completed"');
  });
  it('call connect gathers a key press', () => {
    expect(whisper({ message: 'Spa line', callConnect: true, acceptUrl: 'https://x/a' })).toMatch(/<Gather[^>]*numDigits="1"[\s\S]*Spa line\. Press any key/);
    expect(whisper({ message: 'Spa line', callConnect: false, acceptUrl: 'https://x/a' })).toContain('<Say>Spa line</Say>');
  });

  it('writes exactly what the official VoiceResponse writes, for every document and awkward input', () => {
    expect(empty()).toBe(reference.empty());
    expect(reject()).toBe(reference.reject());
    expect(hangUp()).toBe(reference.hangUp());
    for (const s of nasty) {
      expect(sayAndHangUp(s)).toBe(reference.sayAndHangUp(s));
      expect(dialClient(s)).toBe(reference.dialClient(s));
      for (const callConnect of [true, false]) {
        for (const message of [s, null, '']) {
          const o = { message, callConnect, acceptUrl: `https://x/accept?${s}` };
          expect(whisper(o)).toBe(reference.whisper(o));
        }
      }
      const vm = { greeting: s, actionUrl: `https://x/vm?callId=${s}`, recordingUrl: `https://x/rec?kind=voicemail&x=${s}` };
      expect(voicemail(vm)).toBe(reference.voicemail(vm));
      for (const record of [true, false]) {
        for (const callerId of [undefined, '+13105550100', s]) {
          for (const whisperUrl of [undefined, `https://x/w?callId=${s}&a=1`]) {
            for (const identities of [['usr_a'], ['usr_a', s, 'usr_c'], []]) {
              for (const key of [{ callId: s }, { parentCallSid: `CA${s}` }]) {
                const o = { identities, ...key, timeoutSeconds: 20, record, callerId, whisperUrl, actionUrl: `https://x/a?${s}`, statusUrl: 'https://x/s', recordingUrl: 'https://x/r' };
                expect(ringClients(o)).toBe(reference.ringClients(o));
              }
            }
          }
          for (const statusUrl of [undefined, 'https://x/s']) {
            for (const actionUrl of [undefined, `https://x/a?${s}`]) {
              for (const whisperUrl of [undefined, `https://x/w?callId=${s}`]) {
                for (const timeoutSeconds of [undefined, 25]) {
                  for (const unseenCall of [undefined, true]) {
                    const o = { number: s, callerId, record, actionUrl, statusUrl, recordingUrl: record ? 'https://x/r' : undefined, whisperUrl, timeoutSeconds, unseenCall };
                    expect(dialNumber(o)).toBe(reference.dialNumber(o));
                  }
                }
              }
            }
          }
        }
      }
    }
  });

  it('refuses characters XML cannot carry, like VoiceResponse does', () => {
    for (const bad of ['nul \u0000', 'bell \u0007', 'ff \f', 'lone \uD800 surrogate', 'lone \uDC00 low', '\uFFFE']) {
      expect(() => reference.sayAndHangUp(bad)).toThrow();
      expect(() => sayAndHangUp(bad)).toThrow(/Invalid character/);
      expect(() => dialNumber({ number: '+1310', callerId: bad })).toThrow(/Invalid character/);
    }
  });
});
