import type { PhoneNumber } from '../../shared/cloud/entities';
import { text, textOrNull, int, textArray, type Row } from '../db/columns';

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
