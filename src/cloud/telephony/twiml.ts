/**
 * TwiML documents the webhooks return. A small XML writer instead of the `twilio` package's
 * VoiceResponse (xmlbuilder), which cost ~0.1 ms per inbound call; `twiml.test.ts` checks that
 * every document here is byte-for-byte what VoiceResponse produces for the same input, escaping
 * included, and that characters XML cannot carry are refused the same way (an Error).
 */

export const twimlContentType = 'text/xml; charset=utf-8';

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>';
/** Characters XML 1.0 cannot carry (xmlbuilder's check for version 1.0). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ILLEGAL = /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<"\t\n\r]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
const entity = (c: string): string => ENTITIES[c]!;

function legal(value: string): string {
  const bad = ILLEGAL.exec(value);
  if (bad) throw new Error(`Invalid character in TwiML string at index ${bad.index}`);
  return value;
}

/** Escapes element text as xmlbuilder does (&, <, > and CR). */
export function escapeText(value: string): string {
  return legal(value).replace(TEXT_SPECIAL, entity);
}

/** Escapes an attribute value as xmlbuilder does (&, <, ", TAB, LF, CR). */
export function escapeAttribute(value: string): string {
  return legal(value).replace(ATTR_SPECIAL, entity);
}

type AttributeValue = string | number | boolean | readonly string[] | undefined;

/** ` name="value"` for each defined attribute, in order; lists are space-separated (TwiML's convention). */
function attributes(list: Record<string, AttributeValue>): string {
  let out = '';
  for (const name in list) {
    const value = list[name];
    if (value === undefined) continue;
    out += ` ${name}="${escapeAttribute(Array.isArray(value) ? value.join(' ') : String(value))}"`;
  }
  return out;
}

/** An element: `inner` is already-serialised content; undefined makes it self-closing. */
function element(name: string, attrs: Record<string, AttributeValue> | null, inner?: string): string {
  const open = attrs ? name + attributes(attrs) : name;
  return inner === undefined ? `<${open}/>` : `<${open}>${inner}</${name}>`;
}

const response = (inner: string): string => (inner ? `${HEADER}<Response>${inner}</Response>` : `${HEADER}<Response/>`);
const say = (message: string): string => element('Say', null, escapeText(message));
const HANGUP = '<Hangup/>';

export function sayAndHangUp(message: string): string {
  return response(say(message) + HANGUP);
}

export function reject(): string {
  return response(element('Reject', { reason: 'busy' }));
}

export function hangUp(): string {
  return response(HANGUP);
}

export const empty = (): string => response('');

export interface RingClientsOptions {
  identities: string[];
  /** The call's row, passed to the softphone as a custom parameter. */
  callId?: string;
  /**
   * Without a row (the voice fallback rings): the caller's CallSid instead, so the softphone keys the
   * call's wrap-up by the SID the cloud will file the call under when its status callback comes.
   */
  parentCallSid?: string;
  timeoutSeconds: number;
  record: boolean;
  callerId?: string;
  /** TwiML URL run on the answering user's leg before bridging (whisper / call connect). */
  whisperUrl?: string;
  actionUrl: string;
  statusUrl: string;
  recordingUrl: string;
}

const recordingAttributes = (recordingUrl: string) =>
  ({ record: 'record-from-answer-dual', recordingStatusCallback: recordingUrl, recordingStatusCallbackEvent: ['completed'] }) as const;

/**
 * A softphone leg's callbacks. On an incoming call only a leg's answer changes the call's row (who
 * answered, when); its ringing and its end change nothing (the row is filed as ringing with the
 * voice webhook, and the caller's leg ends the call), so they are not asked for: each would be a
 * signed webhook and a locked read per softphone rung, sent as the phones draw their ringing panel
 * (a softphone that is not open ends its leg at once). The voice fallback's call has no row yet and
 * its legs' first callback files it, so there every event is asked for.
 */
const clientStatusEvents = (o: Pick<RingClientsOptions, 'parentCallSid'>) =>
  o.parentCallSid ? ['ringing', 'answered', 'completed'] : ['answered'];

/** Rings the softphones of the given users at once; the first to answer gets the caller. */
export function ringClients(o: RingClientsOptions): string {
  const clientOpen = `<Client${attributes({
    statusCallback: o.statusUrl,
    statusCallbackEvent: clientStatusEvents(o),
    statusCallbackMethod: 'POST',
    ...(o.whisperUrl ? { url: o.whisperUrl, method: 'POST' } : {}),
  })}>`;
  const parameter = o.callId
    ? element('Parameter', { name: 'callId', value: o.callId })
    : o.parentCallSid ? element('Parameter', { name: 'parentCallSid', value: o.parentCallSid }) : '';
  let clients = '';
  for (const identity of o.identities) clients += `${clientOpen}<Identity>${escapeText(identity)}</Identity>${parameter}</Client>`;
  const dial = element(
    'Dial',
    {
      answerOnBridge: true,
      timeout: o.timeoutSeconds,
      action: o.actionUrl,
      method: 'POST',
      ...(o.callerId ? { callerId: o.callerId } : {}),
      ...(o.record ? recordingAttributes(o.recordingUrl) : {}),
    },
    clients || undefined,
  );
  return response(dial);
}

export interface DialNumberOptions {
  number: string;
  callerId?: string | undefined;
  /** Seconds to ring before giving up (Twilio's default is 30). */
  timeoutSeconds?: number | undefined;
  record?: boolean | undefined;
  actionUrl?: string | undefined;
  statusUrl?: string | undefined;
  recordingUrl?: string | undefined;
  /** TwiML run on the answering phone before bridging (whisper / call connect). */
  whisperUrl?: string | undefined;
  /** The voice fallback's forward: the call has no row yet, and its leg's first callback files it. */
  unseenCall?: boolean | undefined;
}

/**
 * A number's leg's callbacks. For a call with its row, its start and its ringing change nothing (an
 * outbound call's row is filed by the voice webhook, an inbound one's as ringing), so only its
 * answer and its end are asked for; the voice fallback's forward asks for every event, to file its call.
 */
const numberStatusEvents = (o: Pick<DialNumberOptions, 'unseenCall'>) =>
  o.unseenCall ? ['initiated', 'ringing', 'answered', 'completed'] : ['answered', 'completed'];

export function dialNumber(o: DialNumberOptions): string {
  const number = element(
    'Number',
    o.statusUrl || o.whisperUrl
      ? {
          ...(o.statusUrl ? { statusCallback: o.statusUrl, statusCallbackEvent: numberStatusEvents(o), statusCallbackMethod: 'POST' } : {}),
          ...(o.whisperUrl ? { url: o.whisperUrl, method: 'POST' } : {}),
        }
      : null,
    escapeText(o.number),
  );
  const dial = element(
    'Dial',
    {
      answerOnBridge: true,
      ...(o.timeoutSeconds !== undefined ? { timeout: o.timeoutSeconds } : {}),
      ...(o.callerId ? { callerId: o.callerId } : {}),
      ...(o.actionUrl ? { action: o.actionUrl, method: 'POST' } : {}),
      ...(o.record && o.recordingUrl ? recordingAttributes(o.recordingUrl) : {}),
    },
    number,
  );
  return response(dial);
}

export function dialClient(identity: string): string {
  return response(element('Dial', null, element('Client', null, escapeText(identity))));
}

export function voicemail(o: { greeting: string; actionUrl: string; recordingUrl: string }): string {
  const record = element('Record', {
    maxLength: 120,
    playBeep: true,
    action: o.actionUrl,
    method: 'POST',
    recordingStatusCallback: o.recordingUrl,
    recordingStatusCallbackEvent: ['completed'],
  });
  return response(say(o.greeting) + record + HANGUP);
}

/** What the answering user hears before being connected: the whisper, and for call connect, a key press. */
export function whisper(o: { message: string | null; callConnect: boolean; acceptUrl: string }): string {
  if (o.callConnect) {
    const gather = element('Gather', { numDigits: 1, timeout: 10, action: o.acceptUrl, method: 'POST' }, say(`${o.message ? `${o.message}. ` : ''}Press any key to accept the call.`));
    return response(gather + HANGUP);
  }
  return response(o.message ? say(o.message) : '');
}
