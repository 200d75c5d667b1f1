import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { parseTwiml } from './parse-twiml';

describe('parseTwiml', () => {
  it('reads verbs, attributes, text and nested nouns from twilio-built TwiML', () => {
    const r = new twilio.twiml.VoiceResponse();
    r.say({ voice: 'alice' }, 'Hello & welcome');
    const dial = r.dial({ timeout: 10, action: '/after', record: 'record-from-answer' });
    dial.client({ url: '/whisper' }, 'alice');
    dial.number('+15551230000');
    r.hangup();
    const verbs = parseTwiml(r.toString());
    expect(verbs.map((v) => v.name)).toEqual(['Say', 'Dial', 'Hangup']);
    expect(verbs[0]).toMatchObject({ attrs: { voice: 'alice' }, text: 'Hello & welcome' });
    expect(verbs[1]?.attrs).toEqual({ timeout: '10', action: '/after', record: 'record-from-answer' });
    expect(verbs[1]?.children).toMatchObject([{ name: 'Client', text: 'alice', attrs: { url: '/whisper' } }, { name: 'Number', text: '+15551230000' }]);
  });

  it('accepts a bare Dial text and rejects a non-TwiML document', () => {
    expect(parseTwiml('<Response><Dial>+15550001111</Dial></Response>')[0]).toMatchObject({ name: 'Dial', text: '+15550001111', children: [] });
    expect(() => parseTwiml('<html/>')).toThrow(/Response/);
  });
});
