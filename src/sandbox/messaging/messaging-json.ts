// Messaging resources as Twilio renders them: Messages in the 2010-04-01 style (RFC 2822 dates),
// Messaging Services and Content in the v1 style (ISO 8601 dates, `meta` paging).
import type { IncomingNumber } from '../state/store';
import type { ContentTemplate, MessagingService, SmsMessage } from './messaging-state';

const API = '2010-04-01';
const rfc2822 = (d: Date | null): string | null => (d ? d.toUTCString().replace('GMT', '+0000') : null);
const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function messageJson(m: SmsMessage): Record<string, unknown> {
  const uri = `/${API}/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
  return {
    sid: m.sid,
    account_sid: m.accountSid,
    // A Messaging Service picks the sender when the message is queued; `accepted` shows none yet.
    from: m.status === 'accepted' ? null : m.from,
    to: m.to,
    body: m.body,
    num_media: String(m.mediaUrls.length),
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
    status: m.status,
    direction: m.direction,
    api_version: API,
    price: null,
    price_unit: 'USD',
    error_code: m.errorCode,
    error_message: m.errorMessage,
    messaging_service_sid: m.messagingServiceSid,
    date_created: rfc2822(m.dateCreated),
    date_updated: rfc2822(m.dateUpdated),
    date_sent: rfc2822(m.dateSent),
    uri,
    subresource_uris: { media: uri.replace('.json', '/Media.json'), feedback: uri.replace('.json', '/Feedback.json') },
  };
}

export function serviceJson(s: MessagingService): Record<string, unknown> {
  const url = `https://messaging.twilio.com/v1/Services/${s.sid}`;
  return {
    sid: s.sid,
    account_sid: s.accountSid,
    friendly_name: s.friendlyName,
    date_created: iso(s.dateCreated),
    date_updated: iso(s.dateUpdated),
    inbound_request_url: s.inboundRequestUrl,
    inbound_method: s.inboundMethod,
    fallback_url: null,
    fallback_method: 'POST',
    status_callback: s.statusCallback,
    sticky_sender: s.stickySender,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: 'inherit',
    fallback_to_long_code: false,
    area_code_geomatch: true,
    validity_period: s.validityPeriod,
    synchronous_validation: true,
    usecase: 'undeclared',
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: s.useInboundWebhookOnNumber,
    url,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      channel_senders: `${url}/ChannelSenders`,
    },
  };
}

export function servicePhoneNumberJson(s: MessagingService, n: IncomingNumber): Record<string, unknown> {
  const caps = [n.capabilities.sms && 'SMS', n.capabilities.mms && 'MMS', n.capabilities.voice && 'Voice', n.capabilities.fax && 'Fax'].filter(Boolean);
  const added = s.senderAddedAt.get(n.sid) ?? s.dateCreated;
  return {
    sid: n.sid,
    account_sid: s.accountSid,
    service_sid: s.sid,
    date_created: iso(added),
    date_updated: iso(added),
    phone_number: n.phoneNumber,
    country_code: n.phoneNumber.startsWith('+1') ? 'US' : null,
    capabilities: caps,
    url: `https://messaging.twilio.com/v1/Services/${s.sid}/PhoneNumbers/${n.sid}`,
  };
}

export function contentJson(t: ContentTemplate): Record<string, unknown> {
  const url = `https://content.twilio.com/v1/Content/${t.sid}`;
  return {
    sid: t.sid,
    account_sid: t.accountSid,
    friendly_name: t.friendlyName,
    language: t.language,
    variables: t.variables,
    types: { 'twilio/text': { body: t.body } },
    date_created: iso(t.dateCreated),
    date_updated: iso(t.dateUpdated),
    url,
    links: { approval_fetch: `${url}/ApprovalRequests`, approval_create: `${url}/ApprovalRequests/whatsapp` },
  };
}

export function approvalsJson(t: ContentTemplate): Record<string, unknown> {
  return {
    sid: t.sid,
    account_sid: t.accountSid,
    whatsapp: { type: 'whatsapp', name: t.whatsapp.name, category: t.whatsapp.category, content_type: 'twilio/text', status: t.whatsapp.status, rejection_reason: t.whatsapp.rejectionReason, allow_category_change: true },
    url: `https://content.twilio.com/v1/Content/${t.sid}/ApprovalRequests`,
  };
}

export function contentAndApprovalsJson(t: ContentTemplate): Record<string, unknown> {
  const { url: _url, links: _links, ...content } = contentJson(t);
  return { ...content, approval_requests: (approvalsJson(t).whatsapp as Record<string, unknown>) };
}

/**
 * A v1 list page: `PageSize` (default 50, max 1000) and `Page`/`PageToken` as Twilio's next_page_url
 * carries them.
 */
export function v1Page(key: string, baseUrl: string, items: Record<string, unknown>[], query: Record<string, string | undefined>): Record<string, unknown> {
  const pageSize = Math.min(1000, Math.max(1, Number(query.PageSize ?? 50) || 50));
  const page = Math.max(0, Number(query.Page ?? 0) || 0);
  const slice = items.slice(page * pageSize, (page + 1) * pageSize);
  const link = (p: number): string => `${baseUrl}?PageSize=${pageSize}&Page=${p}&PageToken=PT${p * pageSize}`;
  return {
    [key]: slice,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: `${baseUrl}?PageSize=${pageSize}&Page=0`,
      previous_page_url: page > 0 ? link(page - 1) : null,
      url: link(page),
      next_page_url: (page + 1) * pageSize < items.length ? link(page + 1) : null,
      key,
    },
  };
}
