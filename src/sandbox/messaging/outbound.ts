// Checks and records an outgoing message the way Twilio's Messages API does: sender (a number of
// the account with SMS capability, a WhatsApp sender, or a Messaging Service's pool with sticky
// sender), recipient, body or approved template, opt-outs. Errors carry Twilio's codes.
import type { SandboxContext } from '../context';
import { TwilioRestError } from '../rest/errors';
import { newSid } from '../sids';
import type { IncomingNumber } from '../state/store';
import { bare, channelOf, E164, type MessagingService, type MessagingState, type SmsMessage } from './messaging-state';

export interface OutboundInput {
  to: string;
  from?: string | undefined;
  messagingServiceSid?: string | undefined;
  body?: string | undefined;
  mediaUrls?: string[];
  contentSid?: string | undefined;
  contentVariables?: string | undefined;
  statusCallback?: { url: string; method: 'GET' | 'POST' } | undefined;
  direction?: SmsMessage['direction'];
}

/** The message, plus a failure it will meet on delivery (Twilio accepts these, then fails them). */
export interface PreparedMessage {
  message: SmsMessage;
  /** Set when the message will fail after being queued (e.g. 63016, outside the WhatsApp window). */
  deferredFailure: { errorCode: number; errorMessage: string } | null;
}

const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;
const fail = (code: number, message: string, status = 400): never => {
  throw new TwilioRestError(status, code, message);
};

export function prepareOutbound(ctx: SandboxContext, state: MessagingState, input: OutboundInput): PreparedMessage {
  const { store } = ctx;
  if (!input.from && !input.messagingServiceSid) fail(21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
  let service: MessagingService | undefined;
  if (input.messagingServiceSid) {
    if (!/^MG[0-9a-f]{32}$/.test(input.messagingServiceSid)) fail(21705, 'The Messaging Service is invalid');
    service = state.services.get(input.messagingServiceSid) ?? fail(21701, 'The Messaging Service does not exist');
  }
  const mediaUrls = input.mediaUrls ?? [];
  let body = input.body ?? '';
  let contentSid: string | null = null;
  let templateApproved = false;
  if (input.contentSid) {
    const template = /^HX[0-9a-f]{32}$/.test(input.contentSid) ? state.templates.get(input.contentSid) : undefined;
    if (!template) fail(21655, 'The ContentSid is Invalid');
    contentSid = template!.sid;
    templateApproved = template!.whatsapp.status === 'approved';
    body = renderTemplate(template!.body, { ...template!.variables, ...parseVariables(input.contentVariables) });
  }
  if (!body && mediaUrls.length === 0) fail(21602, 'Message body is required.');
  if (body.length > 1600) fail(21617, 'The concatenated message body exceeds the 1600 character limit.');
  const channel = channelOf(input.to);
  if (!E164.test(bare(input.to))) fail(21211, `The 'To' number ${input.to} is not a valid phone number.`);
  if (input.from && channelOf(input.from) !== channel) fail(21910, 'Invalid From and To pair. From and To should be of the same channel');

  let sender: IncomingNumber | undefined;
  if (input.from) {
    if (!E164.test(bare(input.from))) fail(21212, `The 'From' number ${input.from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    sender = store.numberByPhone(bare(input.from));
    if (channel === 'whatsapp') {
      if (!sender || !state.whatsappSenders.has(bare(input.from))) fail(63007, `Twilio could not find a Channel with the specified From address: ${input.from}`);
    } else if (!sender || !(mediaUrls.length ? sender.capabilities.mms || sender.capabilities.sms : sender.capabilities.sms)) {
      fail(21606, `The From phone number ${input.from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    }
    if (service && !service.senders.includes(sender!.sid)) ctx.events.emitEvent('message.warning', { code: 21711, message: `${input.from} is not in Messaging Service ${service.sid}` });
  } else {
    sender = pickSender(ctx, state, service!, input.to);
  }
  const senderAddress = channel === 'whatsapp' ? `whatsapp:${sender!.phoneNumber}` : sender!.phoneNumber;
  if (state.optOuts.has(state.optOutKey(sender!.phoneNumber, sender!.sid, input.to))) fail(21610, 'Attempt to send to unsubscribed recipient');

  let deferredFailure: PreparedMessage['deferredFailure'] = null;
  if (channel === 'whatsapp') {
    const last = state.lastInbound.get(`${bare(senderAddress)}|${bare(input.to)}`);
    const inWindow = last !== undefined && Date.now() - last.getTime() < WHATSAPP_WINDOW_MS;
    if (!inWindow && !templateApproved) deferredFailure = { errorCode: 63016, errorMessage: 'Outside messaging window. For WhatsApp, use a Message Template instead' };
  }
  const now = new Date();
  const message: SmsMessage = {
    sid: newSid(mediaUrls.length ? 'MM' : 'SM'),
    accountSid: ctx.settings.accountSid,
    from: senderAddress,
    to: input.to,
    body,
    mediaUrls,
    status: input.from ? 'queued' : 'accepted',
    direction: input.direction ?? 'outbound-api',
    channel,
    messagingServiceSid: service?.sid ?? null,
    contentSid,
    statusCallback: input.statusCallback ?? (service?.statusCallback ? { url: service.statusCallback, method: 'POST' } : null),
    errorCode: null,
    errorMessage: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: null,
  };
  state.messages.set(message.sid, message);
  return { message, deferredFailure };
}

/** Sticky sender first, then a pool number in the contact's area code, then the first that fits. */
function pickSender(ctx: SandboxContext, state: MessagingState, service: MessagingService, to: string): IncomingNumber {
  const channel = channelOf(to);
  const pool = service.senders
    .map((sid) => ctx.store.numbers.get(sid))
    .filter((n): n is IncomingNumber => n !== undefined && (channel === 'whatsapp' ? state.whatsappSenders.has(n.phoneNumber) : n.capabilities.sms));
  if (pool.length === 0) fail(channel === 'whatsapp' ? 63007 : 21704, channel === 'whatsapp' ? 'The Messaging Service has no WhatsApp sender' : 'The Messaging Service contains no phone numbers');
  const stickyKey = `${service.sid}|${bare(to)}`;
  const sticky = service.stickySender ? pool.find((n) => n.sid === state.sticky.get(stickyKey)) : undefined;
  const areaCode = /^\+1(\d{3})/.exec(bare(to))?.[1];
  const chosen = sticky ?? pool.find((n) => areaCode && n.phoneNumber.startsWith(`+1${areaCode}`)) ?? pool[0]!;
  state.sticky.set(stickyKey, chosen.sid);
  return chosen;
}

function parseVariables(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    // fall through to the error below
  }
  return fail(21656, 'The ContentVariables Parameter is invalid.');
}

export function renderTemplate(body: string, variables: Record<string, string>): string {
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key: string) => variables[key] ?? '');
}
