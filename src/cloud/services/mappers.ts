import type {
  Account,
  AuditEntry,
  Call,
  Contact,
  Disposition,
  Dnd,
  Location,
  Notification,
  PhoneNumber,
  Team,
  User,
} from '../../shared/cloud/entities';
import type { Row } from '../db';

/** Row → wire entity. The SELECT lists below are the only column lists services use. */
const s = (v: unknown): string => String(v);
const ns = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const n = (v: unknown): number => Number(v);
const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const arr = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export const ACCOUNT_COLUMNS = `a.id, a.name, a.seq`;
export const toAccount = (r: Row): Account => ({ id: s(r.id), name: s(r.name), seq: n(r.seq) });

export const LOCATION_COLUMNS = `l.id, l.account_id, l.name, l.timezone, l.seq, l.deleted_at`;
export const toLocation = (r: Row): Location => ({
  id: s(r.id),
  accountId: s(r.account_id),
  name: s(r.name),
  timezone: s(r.timezone),
  seq: n(r.seq),
  deletedAt: ns(r.deleted_at),
});

export const TEAM_COLUMNS = `t.id, t.account_id, t.name, t.seq, t.deleted_at,
  (SELECT coalesce(jsonb_agg(u.id ORDER BY u.id), '[]'::jsonb) FROM users u WHERE u.team_ids @> jsonb_build_array(t.id) AND u.deleted_at IS NULL) AS member_ids`;
export const toTeam = (r: Row): Team => ({
  id: s(r.id),
  accountId: s(r.account_id),
  name: s(r.name),
  memberIds: arr(r.member_ids),
  seq: n(r.seq),
  deletedAt: ns(r.deleted_at),
});

export const USER_COLUMNS = `u.id, u.account_id, u.email, u.name, u.role, u.phone, u.location_ids, u.team_ids, u.seq, u.deleted_at,
  (SELECT pn.id FROM phone_numbers pn WHERE pn.assigned_user_id = u.id AND pn.deleted_at IS NULL) AS inbound_number_id`;
export const twilioIdentityFor = (userId: string): string => userId;
export const toUser = (r: Row): User => ({
  id: s(r.id),
  accountId: s(r.account_id),
  email: s(r.email),
  name: s(r.name),
  role: r.role === 'admin' ? 'admin' : 'user',
  phone: ns(r.phone),
  locationIds: arr(r.location_ids),
  teamIds: arr(r.team_ids),
  inboundNumberId: ns(r.inbound_number_id),
  twilioIdentity: twilioIdentityFor(s(r.id)),
  seq: n(r.seq),
  deletedAt: ns(r.deleted_at),
});

export const CONTACT_COLUMNS = `c.id, c.account_id, c.location_id, c.name, c.phone, c.email, c.tags, c.assigned_user_id, c.dnd, c.created_at, c.updated_at, c.seq, c.deleted_at`;
export const toContact = (r: Row): Contact => ({
  id: s(r.id),
  accountId: s(r.account_id),
  locationId: ns(r.location_id),
  name: s(r.name),
  phone: ns(r.phone),
  email: ns(r.email),
  tags: arr(r.tags),
  assignedUserId: ns(r.assigned_user_id),
  dnd: r.dnd as Dnd,
  createdAt: s(r.created_at),
  updatedAt: s(r.updated_at),
  seq: n(r.seq),
  deletedAt: ns(r.deleted_at),
});

export const NUMBER_COLUMNS = `pn.id, pn.account_id, pn.location_id, pn.number, pn.name, pn.forwarding_number, pn.caller_id_mode, pn.call_connect,
  pn.whisper_message, pn.record_calls, pn.ring_timeout_seconds, pn.inbound_routing, pn.assigned_user_id, pn.ring_all_user_ids, pn.seq, pn.deleted_at`;
export const toPhoneNumber = (r: Row): PhoneNumber => ({
  id: s(r.id),
  accountId: s(r.account_id),
  locationId: ns(r.location_id),
  number: s(r.number),
  name: s(r.name),
  forwardingNumber: ns(r.forwarding_number),
  callerIdMode: r.caller_id_mode === 'number' ? 'number' : 'caller',
  callConnect: Boolean(r.call_connect),
  whisperMessage: ns(r.whisper_message),
  recordCalls: Boolean(r.record_calls),
  ringTimeoutSeconds: n(r.ring_timeout_seconds),
  inboundRouting: r.inbound_routing === 'assigned_member' ? 'assigned_member' : 'ring_all',
  assignedUserId: ns(r.assigned_user_id),
  ringAllUserIds: arr(r.ring_all_user_ids),
  seq: n(r.seq),
  deletedAt: ns(r.deleted_at),
});

export const DISPOSITION_COLUMNS = `d.id, d.account_id, d.label, d.position, d.seq, d.deleted_at`;
export const toDisposition = (r: Row): Disposition => ({
  id: s(r.id),
  accountId: s(r.account_id),
  label: s(r.label),
  position: n(r.position),
  seq: n(r.seq),
  deletedAt: ns(r.deleted_at),
});

export const CALL_COLUMNS = `k.id, k.account_id, k.location_id, k.twilio_call_sid, k.direction, k.from_number, k.to_number, k.phone_number_id, k.user_id,
  k.contact_id, k.rang_user_ids, k.status, k.started_at, k.answered_at, k.ended_at, k.duration_seconds, k.recordings, k.disposition_id, k.note, k.seq`;
export const toCall = (r: Row): Call => ({
  id: s(r.id),
  accountId: s(r.account_id),
  locationId: ns(r.location_id),
  twilioCallSid: ns(r.twilio_call_sid),
  direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
  from: s(r.from_number),
  to: s(r.to_number),
  phoneNumberId: ns(r.phone_number_id),
  userId: ns(r.user_id),
  contactId: ns(r.contact_id),
  rangUserIds: arr(r.rang_user_ids),
  status: s(r.status) as Call['status'],
  startedAt: s(r.started_at),
  answeredAt: ns(r.answered_at),
  endedAt: ns(r.ended_at),
  durationSeconds: nn(r.duration_seconds),
  recordings: Array.isArray(r.recordings) ? (r.recordings as Call['recordings']) : [],
  dispositionId: ns(r.disposition_id),
  note: ns(r.note),
  seq: n(r.seq),
});

export const NOTIFICATION_COLUMNS = `nt.id, nt.account_id, nt.user_id, nt.title, nt.message, nt.redirect, nt.read_at, nt.created_at, nt.seq`;
export const toNotification = (r: Row): Notification => ({
  id: s(r.id),
  accountId: s(r.account_id),
  userId: s(r.user_id),
  title: s(r.title),
  message: s(r.message),
  redirect: ns(r.redirect),
  readAt: ns(r.read_at),
  createdAt: s(r.created_at),
  seq: n(r.seq),
});

export const toAuditEntry = (r: Row): AuditEntry => ({
  id: n(r.id),
  accountId: s(r.account_id),
  actorUserId: ns(r.actor_user_id),
  action: s(r.action),
  entity: s(r.entity),
  entityId: ns(r.entity_id),
  details: (r.details ?? {}) as Record<string, unknown>,
  at: s(r.at),
});
