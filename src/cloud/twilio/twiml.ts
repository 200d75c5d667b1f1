import twilio from 'twilio';

/** TwiML documents the webhooks return, built with the official VoiceResponse (escapes for us). */
const { VoiceResponse } = twilio.twiml;

export const twimlContentType = 'text/xml; charset=utf-8';

export function sayAndHangUp(message: string): string {
  const response = new VoiceResponse();
  response.say(message);
  response.hangup();
  return response.toString();
}

export function reject(): string {
  const response = new VoiceResponse();
  response.reject({ reason: 'busy' });
  return response.toString();
}

export function hangUp(): string {
  const response = new VoiceResponse();
  response.hangup();
  return response.toString();
}

export const empty = (): string => new VoiceResponse().toString();

export interface RingClientsOptions {
  identities: string[];
  callId: string;
  timeoutSeconds: number;
  record: boolean;
  callerId?: string;
  /** TwiML URL run on the answering user's leg before bridging (whisper / call connect). */
  whisperUrl?: string;
  actionUrl: string;
  statusUrl: string;
  recordingUrl: string;
}

/** Rings the softphones of the given users at once; the first to answer gets the caller. */
export function ringClients(o: RingClientsOptions): string {
  const response = new VoiceResponse();
  const dial = response.dial({
    answerOnBridge: true,
    timeout: o.timeoutSeconds,
    action: o.actionUrl,
    method: 'POST',
    ...(o.callerId ? { callerId: o.callerId } : {}),
    ...(o.record
      ? { record: 'record-from-answer-dual' as const, recordingStatusCallback: o.recordingUrl, recordingStatusCallbackEvent: ['completed'] }
      : {}),
  });
  for (const identity of o.identities) {
    const client = dial.client({
      statusCallback: o.statusUrl,
      statusCallbackEvent: ['ringing', 'answered', 'completed'],
      statusCallbackMethod: 'POST',
      ...(o.whisperUrl ? { url: o.whisperUrl, method: 'POST' } : {}),
    });
    client.identity(identity);
    client.parameter({ name: 'callId', value: o.callId });
  }
  return response.toString();
}

export function dialNumber(o: { number: string; callerId?: string; record?: boolean; actionUrl?: string; statusUrl?: string; recordingUrl?: string }): string {
  const response = new VoiceResponse();
  const dial = response.dial({
    answerOnBridge: true,
    ...(o.callerId ? { callerId: o.callerId } : {}),
    ...(o.actionUrl ? { action: o.actionUrl, method: 'POST' } : {}),
    ...(o.record && o.recordingUrl
      ? { record: 'record-from-answer-dual' as const, recordingStatusCallback: o.recordingUrl, recordingStatusCallbackEvent: ['completed'] }
      : {}),
  });
  dial.number(
    o.statusUrl ? { statusCallback: o.statusUrl, statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'], statusCallbackMethod: 'POST' } : {},
    o.number,
  );
  return response.toString();
}

export function dialClient(identity: string): string {
  const response = new VoiceResponse();
  response.dial().client(identity);
  return response.toString();
}

export function voicemail(o: { greeting: string; actionUrl: string; recordingUrl: string }): string {
  const response = new VoiceResponse();
  response.say(o.greeting);
  response.record({
    maxLength: 120,
    playBeep: true,
    action: o.actionUrl,
    method: 'POST',
    recordingStatusCallback: o.recordingUrl,
    recordingStatusCallbackEvent: ['completed'],
  });
  response.hangup();
  return response.toString();
}

/** What the answering user hears before being connected: the whisper, and for call connect, a key press. */
export function whisper(o: { message: string | null; callConnect: boolean; acceptUrl: string }): string {
  const response = new VoiceResponse();
  if (o.callConnect) {
    const gather = response.gather({ numDigits: 1, timeout: 10, action: o.acceptUrl, method: 'POST' });
    gather.say(`${o.message ? `${o.message}. ` : ''}Press any key to accept the call.`);
    response.hangup();
  } else if (o.message) {
    response.say(o.message);
  }
  return response.toString();
}
