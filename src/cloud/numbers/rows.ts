import type { PhoneNumber } from '../../shared/cloud/entities';
import type { DeletedNumber, ManagedNumber, Money, NumberCapabilities, NumberPrice, NumberRequest, NumberType } from '../../shared/cloud/numbers';
import { text, textOrNull, int, textArray, type Row } from '../db/columns';
import { daysLeft } from './lifecycle-rules';

/** A phone_numbers row → the wire entity. */
export const NUMBER_COLUMNS = `pn.id, pn.account_id, pn.location_id, pn.number, pn.name, pn.forwarding_number, pn.caller_id_mode, pn.call_connect,
  pn.whisper_message, pn.record_calls, pn.ring_timeout_seconds, pn.inbound_routing, pn.assigned_user_id, pn.ring_all_user_ids, pn.seq, pn.deleted_at`;
export const toPhoneNumber = (r: Row): PhoneNumber => ({
  id: text(r.id),
  accountId: text(r.account_id),
  locationId: textOrNull(r.location_id),
  number: text(r.number),
  name: text(r.name),
  forwardingNumber: textOrNull(r.forwarding_number),
  callerIdMode: r.caller_id_mode === 'number' ? 'number' : 'caller',
  callConnect: Boolean(r.call_connect),
  whisperMessage: textOrNull(r.whisper_message),
  recordCalls: Boolean(r.record_calls),
  ringTimeoutSeconds: int(r.ring_timeout_seconds),
  inboundRouting: r.inbound_routing === 'assigned_member' ? 'assigned_member' : 'ring_all',
  assignedUserId: textOrNull(r.assigned_user_id),
  ringAllUserIds: textArray(r.ring_all_user_ids),
  seq: int(r.seq),
  deletedAt: textOrNull(r.deleted_at),
});

const numberType = (v: unknown): NumberType => (v === 'toll-free' || v === 'mobile' ? v : 'local');
const capabilities = (v: unknown): NumberCapabilities => {
  const c = (v ?? {}) as Record<string, unknown>;
  return { voice: c.voice === true, sms: c.sms === true, mms: c.mms === true, fax: c.fax === true };
};
const money = (micros: unknown, currency: unknown): Money | null =>
  micros === null || micros === undefined || currency === null || currency === undefined ? null : { micros: int(micros), currency: text(currency) };

/** The admin list: every setting plus what the number is, whose it is and what it costs. */
export const MANAGED_COLUMNS = `${NUMBER_COLUMNS}, pn.country, pn.number_type, pn.capabilities, pn.status, pn.monthly_fee_micros, pn.currency, pn.billing_since,
  (SELECT u.name FROM users u WHERE u.id = pn.assigned_user_id) AS assigned_user_name`;
export const toManagedNumber = (r: Row): ManagedNumber => ({
  ...toPhoneNumber(r),
  country: text(r.country),
  numberType: numberType(r.number_type),
  capabilities: capabilities(r.capabilities),
  status: r.status === 'held' || r.status === 'released' ? r.status : 'active',
  assignedUserName: textOrNull(r.assigned_user_name),
  monthlyFee: money(r.monthly_fee_micros, r.currency),
  billingSince: textOrNull(r.billing_since),
});

export const DELETED_COLUMNS = `pn.id, pn.number, pn.name, pn.country, pn.number_type, pn.status, pn.deleted_at, pn.release_due_at, pn.released_at,
  (SELECT u.name FROM users u WHERE u.id = pn.deleted_by) AS deleted_by_name`;
/** `now` is the database's clock, so every instance counts the same days. */
export function toDeletedNumber(r: Row, now: Date): DeletedNumber {
  const status = r.status === 'released' ? 'released' : 'held';
  const due = r.release_due_at ? new Date(text(r.release_due_at)) : null;
  const left = status === 'held' && due ? daysLeft(due, now) : null;
  return {
    id: text(r.id),
    number: text(r.number),
    name: text(r.name),
    country: text(r.country),
    numberType: numberType(r.number_type),
    status,
    deletedAt: text(r.deleted_at),
    deletedByName: textOrNull(r.deleted_by_name),
    releaseDueAt: due?.toISOString() ?? null,
    releasedAt: textOrNull(r.released_at),
    daysLeft: left,
    canRestore: left !== null && left > 0,
  };
}

export const PRICE_COLUMNS = 'country, number_type, currency, monthly_fee_micros, inbound_per_minute_micros, outbound_per_minute_micros';
export const toNumberPrice = (r: Row): NumberPrice => ({
  country: text(r.country),
  numberType: numberType(r.number_type),
  monthlyFee: { micros: int(r.monthly_fee_micros), currency: text(r.currency) },
  inboundPerMinute: { micros: int(r.inbound_per_minute_micros), currency: text(r.currency) },
  outboundPerMinute: { micros: int(r.outbound_per_minute_micros), currency: text(r.currency) },
});

export const REQUEST_COLUMNS = `nr.id, nr.kind, nr.country, nr.number_type, nr.phone_numbers, nr.note, nr.status, nr.created_at, nr.updated_at,
  (SELECT u.name FROM users u WHERE u.id = nr.requested_by) AS requested_by_name`;
export const toNumberRequest = (r: Row): NumberRequest => ({
  id: text(r.id),
  kind: r.kind === 'port_in' || r.kind === 'unlisted' ? r.kind : 'international',
  country: text(r.country),
  numberType: r.number_type === null || r.number_type === undefined ? null : numberType(r.number_type),
  phoneNumbers: textArray(r.phone_numbers),
  note: text(r.note),
  status: r.status === 'in_progress' || r.status === 'completed' || r.status === 'cancelled' ? r.status : 'open',
  requestedByName: textOrNull(r.requested_by_name),
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
});
