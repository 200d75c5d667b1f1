// A contact texts a number of the account: the message is recorded, Twilio's opt-out keywords are
// honoured (STOP / START / HELP and their synonyms, with the standard replies), the number's (or
// its Messaging Service's) incoming-message webhook is called, signed, and any <Message> in the
// TwiML it answers with is sent back.
import type { SandboxContext } from '../context';
import { newSid } from '../sids';
import type { IncomingNumber } from '../state/store';
import { parseTwiml } from '../twiml/parse-twiml';
import { bare, channelOf, E164, type MessagingState, type SmsMessage } from './messaging-state';
import type { OutboundInput } from './outbound';

const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

const REPLIES = {
  STOP: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  START: 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  HELP: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
} as const;

export interface InboundInput {
  from: string;
  to: string;
  body: string;
  mediaUrls?: string[];
  /** WhatsApp profile name. */
  profileName?: string;
}

export interface InboundResult {
  messageSid: string;
  /** Messages sent back: the opt-out auto-reply and/or the webhook's <Message>s. */
  replySids: string[];
  webhookStatus: number | null;
}

export type SendReply = (input: OutboundInput) => SmsMessage;

export async function receiveMessage(ctx: SandboxContext, state: MessagingState, input: InboundInput, send: SendReply): Promise<InboundResult> {
  const channel = channelOf(input.to);
  if (channelOf(input.from) !== channel) throw new Error('from and to must be on the same channel (both whatsapp: or neither)');
  if (!E164.test(bare(input.from))) throw new Error(`${input.from} is not an E.164 phone number`);
  const number = ctx.store.numberByPhone(bare(input.to));
  if (!number) throw new Error(`${input.to} is not a number of this account`);
  if (channel === 'whatsapp' && !state.whatsappSenders.has(number.phoneNumber)) throw new Error(`${input.to} is not a WhatsApp sender of this account`);
  const service = state.serviceOfNumber(number.sid);
  const now = new Date();
  const message: SmsMessage = {
    sid: newSid((input.mediaUrls ?? []).length ? 'MM' : 'SM'),
    accountSid: ctx.settings.accountSid,
    from: input.from,
    to: input.to,
    body: input.body,
    mediaUrls: input.mediaUrls ?? [],
    status: 'received',
    direction: 'inbound',
    channel,
    messagingServiceSid: service?.sid ?? null,
    contentSid: null,
    statusCallback: null,
    errorCode: null,
    errorMessage: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: now,
  };
  state.messages.set(message.sid, message);
  if (channel === 'whatsapp') state.lastInbound.set(`${number.phoneNumber}|${bare(input.from)}`, now);
  ctx.events.emitEvent('message.received', { messageSid: message.sid, from: message.from, to: message.to, body: message.body });

  const replySids: string[] = [];
  const keyword = channel === 'sms' ? optOutKeyword(input.body) : null;
  if (keyword) {
    const key = state.optOutKey(number.phoneNumber, number.sid, input.from);
    // An opted-out contact still gets the confirmation of STOP; then nothing more.
    if (keyword === 'STOP') state.optOuts.delete(key);
    if (keyword === 'START') state.optOuts.delete(key);
    replySids.push(send({ from: input.to, to: input.from, body: REPLIES[keyword], direction: 'outbound-reply' }).sid);
    if (keyword === 'STOP') state.optOuts.add(key);
    ctx.events.emitEvent('message.opt-out', { keyword, from: input.from, to: input.to });
  }

  const target = webhookOf(state, number);
  let webhookStatus: number | null = null;
  if (target) {
    const res = await ctx.webhooks.send(target.url, target.method, webhookParams(ctx, message, number, keyword, input.profileName));
    webhookStatus = res.status;
    if (!res.ok) ctx.events.emitEvent('message.warning', { messageSid: message.sid, code: 11200, message: `HTTP ${res.status} from ${target.url}` });
    else replySids.push(...replies(ctx, res.body, message).map((r) => sendSafely(ctx, send, r)).filter((sid): sid is string => sid !== null));
  } else {
    ctx.events.emitEvent('message.warning', { messageSid: message.sid, message: `${number.phoneNumber} has no incoming-message webhook` });
  }
  return { messageSid: message.sid, replySids, webhookStatus };
}

function optOutKeyword(body: string): 'STOP' | 'START' | 'HELP' | null {
  const word = body.trim().toUpperCase();
  return STOP.has(word) ? 'STOP' : START.has(word) ? 'START' : HELP.has(word) ? 'HELP' : null;
}

function webhookOf(state: MessagingState, number: IncomingNumber): { url: string; method: 'GET' | 'POST' } | null {
  const service = state.serviceOfNumber(number.sid);
  if (service && !service.useInboundWebhookOnNumber && service.inboundRequestUrl) return { url: service.inboundRequestUrl, method: service.inboundMethod };
  return number.smsUrl ? { url: number.smsUrl, method: number.smsMethod } : null;
}

function webhookParams(ctx: SandboxContext, m: SmsMessage, number: IncomingNumber, keyword: string | null, profileName?: string): Record<string, string> {
  const country = (address: string): string => (bare(address).startsWith('+1') ? 'US' : '');
  const params: Record<string, string> = {
    AccountSid: ctx.settings.accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: m.sid,
    SmsSid: m.sid,
    SmsMessageSid: m.sid,
    SmsStatus: 'received',
    From: m.from,
    To: m.to,
    Body: m.body,
    NumMedia: String(m.mediaUrls.length),
    NumSegments: String(Math.max(1, Math.ceil(m.body.length / 160))),
    FromCity: '',
    FromState: '',
    FromZip: '',
    FromCountry: country(m.from),
    ToCity: '',
    ToState: '',
    ToZip: '',
    ToCountry: country(number.phoneNumber),
    ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
    ...(keyword ? { OptOutType: keyword } : {}),
    ...(m.channel === 'whatsapp' ? { WaId: bare(m.from).slice(1), ProfileName: profileName ?? '' } : {}),
  };
  m.mediaUrls.forEach((url, i) => {
    params[`MediaUrl${i}`] = url;
    params[`MediaContentType${i}`] = /\.png$/i.test(url) ? 'image/png' : /\.gif$/i.test(url) ? 'image/gif' : 'image/jpeg';
  });
  return params;
}

/** <Message> verbs of a messaging TwiML answer, as replies to `inbound`. */
function replies(ctx: SandboxContext, xml: string, inbound: SmsMessage): OutboundInput[] {
  if (!xml.trim()) return [];
  let verbs;
  try {
    verbs = parseTwiml(xml);
  } catch (error) {
    ctx.events.emitEvent('message.warning', { messageSid: inbound.sid, code: 12100, message: `Document parse failure: ${String(error)}` });
    return [];
  }
  return verbs
    .filter((v) => v.name === 'Message')
    .map((v) => {
      const bodyNode = v.children.find((c) => c.name === 'Body');
      const media = v.children.filter((c) => c.name === 'Media').map((c) => c.text);
      return {
        from: v.attrs.from ?? inbound.to,
        to: v.attrs.to ?? inbound.from,
        body: bodyNode ? bodyNode.text : v.text,
        mediaUrls: media,
        direction: 'outbound-reply' as const,
        ...(v.attrs.statusCallback ? { statusCallback: { url: v.attrs.statusCallback, method: v.attrs.method?.toUpperCase() === 'GET' ? ('GET' as const) : ('POST' as const) } } : {}),
      };
    });
}

function sendSafely(ctx: SandboxContext, send: SendReply, input: OutboundInput): string | null {
  try {
    return send(input).sid;
  } catch (error) {
    ctx.events.emitEvent('message.warning', { code: (error as { code?: number }).code ?? 0, message: `reply not sent: ${error instanceof Error ? error.message : String(error)}` });
    return null;
  }
}
