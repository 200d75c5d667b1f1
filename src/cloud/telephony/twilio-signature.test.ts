import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { validTwilioSignature } from './twilio-signature';

const token = 'test-auth-token-0123456789abcdef';
const params = { CallSid: 'CA0123', AccountSid: 'AC0123', From: '+13105550100', To: '+13105550199', Caller: 'ünïcode & = +' };

describe('validTwilioSignature', () => {
  it('accepts a signature over the exact URL, and the port variants twilio.validateRequest accepts', () => {
    const url = 'https://cloud.example.com/twilio/voice/inbound?callId=call_1';
    expect(validTwilioSignature(token, twilio.getExpectedTwilioSignature(token, url, params), url, params)).toBe(true);
    // Twilio signed with the default port spelled out; we were configured without it.
    const withPort = 'https://cloud.example.com:443/twilio/voice/inbound?callId=call_1';
    expect(validTwilioSignature(token, twilio.getExpectedTwilioSignature(token, withPort, params), url, params)).toBe(true);
  });

  it('rejects a forged, truncated, re-encoded or empty signature, another URL, and changed or added parameters', () => {
    const url = 'http://127.0.0.1:3000/twilio/voice/inbound';
    const good = twilio.getExpectedTwilioSignature(token, url, params);
    expect(validTwilioSignature(token, twilio.getExpectedTwilioSignature('another-token', url, params), url, params)).toBe(false);
    expect(validTwilioSignature(token, good.slice(0, -2), url, params)).toBe(false);
    expect(validTwilioSignature(token, good.replace(/=$/, ''), url, params)).toBe(false);
    expect(validTwilioSignature(token, '', url, params)).toBe(false);
    expect(validTwilioSignature(token, good, 'http://127.0.0.1:3000/twilio/voice/outbound', params)).toBe(false);
    expect(validTwilioSignature(token, good, url, { ...params, From: '+13105550101' })).toBe(false);
    expect(validTwilioSignature(token, good, url, { ...params, Extra: '1' })).toBe(false);
  });

  it('agrees with twilio.validateRequest on every case above', () => {
    const url = 'http://127.0.0.1:3000/twilio/voice/status';
    for (const [sig, u, p] of [
      [twilio.getExpectedTwilioSignature(token, url, params), url, params],
      [twilio.getExpectedTwilioSignature(token, url, params), url, { ...params, To: 'x' }],
      ['not-base64!', url, params],
    ] as const) {
      expect(validTwilioSignature(token, sig, u, p)).toBe(twilio.validateRequest(token, sig, u, p));
    }
  });
});
