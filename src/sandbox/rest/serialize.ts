// Resources as Twilio's 2010-04-01 API renders them (snake_case, RFC 2822 dates, string durations).
import type { CallLeg } from '../calls/call-leg';
import type { Application, IncomingNumber, Recording } from '../state/store';
import { formatFriendly } from '../state/resources';

const API = '2010-04-01';
export const date = (d: Date | null | undefined): string | null => (d ? d.toUTCString().replace('GMT', '+0000') : null);

export function callJson(leg: CallLeg): Record<string, unknown> {
  const uri = `/${API}/Accounts/${leg.accountSid}/Calls/${leg.sid}.json`;
  return {
    sid: leg.sid,
    account_sid: leg.accountSid,
    parent_call_sid: leg.parentCallSid ?? null,
    date_created: date(leg.createdAt),
    date_updated: date(leg.endedAt ?? leg.answeredAt ?? leg.createdAt),
    to: leg.to,
    to_formatted: formatFriendly(leg.to),
    from: leg.from,
    from_formatted: formatFriendly(leg.from),
    phone_number_sid: null,
    status: leg.status,
    start_time: date(leg.answeredAt),
    end_time: date(leg.endedAt),
    duration: leg.isFinal ? String(leg.durationSeconds) : null,
    price: null,
    price_unit: 'USD',
    direction: leg.direction,
    answered_by: leg.answeredBy,
    api_version: API,
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri,
    subresource_uris: { recordings: uri.replace('.json', '/Recordings.json') },
  };
}

export function recordingJson(r: Recording): Record<string, unknown> {
  const uri = `/${API}/Accounts/${r.accountSid}/Recordings/${r.sid}.json`;
  return {
    sid: r.sid,
    account_sid: r.accountSid,
    call_sid: r.callSid,
    conference_sid: null,
    api_version: API,
    date_created: date(r.dateCreated),
    date_updated: date(r.dateUpdated),
    start_time: date(r.startTime),
    duration: r.status === 'completed' ? String(r.durationSeconds) : '-1',
    price: null,
    price_unit: 'USD',
    status: r.status,
    channels: r.channels,
    source: r.source,
    error_code: null,
    track: 'both',
    encryption_details: null,
    uri,
    media_url: `https://api.twilio.com${uri.replace('.json', '')}`,
    subresource_uris: {},
  };
}

export function numberJson(n: IncomingNumber): Record<string, unknown> {
  const uri = `/${API}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`;
  return {
    sid: n.sid,
    account_sid: n.accountSid,
    address_sid: null,
    address_requirements: n.addressRequirements,
    api_version: API,
    beta: false,
    bundle_sid: null,
    capabilities: { voice: n.capabilities.voice, sms: n.capabilities.sms, mms: n.capabilities.mms, fax: n.capabilities.fax },
    date_created: date(n.dateCreated),
    date_updated: date(n.dateUpdated),
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    friendly_name: n.friendlyName,
    identity_sid: null,
    origin: 'twilio',
    phone_number: n.phoneNumber,
    sms_application_sid: '',
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status: 'in-use',
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: null,
    uri,
    voice_application_sid: n.voiceApplicationSid ?? '',
    voice_caller_id_lookup: false,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: n.voiceFallbackUrl,
    voice_method: n.voiceMethod,
    voice_receive_mode: 'voice',
    voice_url: n.voiceUrl,
    subresource_uris: { assigned_add_ons: uri.replace('.json', '/AssignedAddOns.json') },
  };
}

export function applicationJson(a: Application): Record<string, unknown> {
  return {
    sid: a.sid,
    account_sid: a.accountSid,
    friendly_name: a.friendlyName,
    voice_url: a.voiceUrl,
    voice_method: a.voiceMethod,
    // Twilio shows an application's unset URLs as null (sms_url too).
    voice_fallback_url: a.voiceFallbackUrl || null,
    voice_fallback_method: a.voiceFallbackMethod,
    status_callback: a.statusCallback,
    status_callback_method: a.statusCallbackMethod,
    voice_caller_id_lookup: false,
    sms_url: null,
    sms_method: 'POST',
    api_version: API,
    date_created: date(a.dateCreated),
    date_updated: date(a.dateUpdated),
    uri: `/${API}/Accounts/${a.accountSid}/Applications/${a.sid}.json`,
  };
}

export { page } from './paging';
