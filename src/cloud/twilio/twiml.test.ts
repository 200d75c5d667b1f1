import { describe, expect, it } from 'vitest';
import { ringClients, whisper } from './twiml';

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
  it('call connect gathers a key press', () => {
    expect(whisper({ message: 'Spa line', callConnect: true, acceptUrl: 'https://x/a' })).toMatch(/<Gather[^>]*numDigits="1"[\s\S]*Spa line\. Press any key/);
    expect(whisper({ message: 'Spa line', callConnect: false, acceptUrl: 'https://x/a' })).toContain('<Say>Spa line</Say>');
  });
});
