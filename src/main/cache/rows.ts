import type { Account, Call, Contact, Disposition, Dnd, Location, Notification, PhoneNumber, Team, User } from '../../shared/cloud';

/** Stored rows (snake_case, JSON text for arrays) and their conversion back to the wire shapes. */

export interface AccountRow {
  id: string;
  name: string;
  timezone: string;
  seq: number;
}
export const toAccount = (r: AccountRow): Account => ({ id: r.id, name: r.name, timezone: r.timezone, seq: r.seq });

export interface LocationRow {
  id: string;
  account_id: string;
  name: string;
  timezone: string;
  seq: number;
}
export const toLocation = (r: LocationRow): Location => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  timezone: r.timezone,
  seq: r.seq,
  deletedAt: null,
});

export interface TeamRow {
  id: string;
  account_id: string;
  name: string;
  member_ids: string;
  lead_user_id: string | null;
  seq: number;
}
export const toTeam = (r: TeamRow): Team => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  memberIds: JSON.parse(r.member_ids) as string[],
  leadUserId: r.lead_user_id,
  seq: r.seq,
  deletedAt: null,
});

export interface UserRow {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: User['role'];
  phone: string | null;
  location_ids: string;
  team_ids: string;
  inbound_number_id: string | null;
  twilio_identity: string;
  seq: number;
  deleted_at: string | null;
}
export const toUser = (r: UserRow): User => ({
  id: r.id,
  accountId: r.account_id,
  email: r.email,
  name: r.name,
  role: r.role,
  phone: r.phone,
  locationIds: JSON.parse(r.location_ids) as string[],
  teamIds: JSON.parse(r.team_ids) as string[],
  inboundNumberId: r.inbound_number_id,
  twilioIdentity: r.twilio_identity,
  seq: r.seq,
  deletedAt: r.deleted_at,
});

export interface DispositionRow {
  id: string;
  account_id: string;
  label: string;
  position: number;
  seq: number;
  deleted_at: string | null;
}
export const toDisposition = (r: DispositionRow): Disposition => ({
  id: r.id,
  accountId: r.account_id,
  label: r.label,
  position: r.position,
  seq: r.seq,
  deletedAt: r.deleted_at,
});

export interface ContactRow {
  id: string;
  account_id: string;
  location_id: string | null;
  name: string;
  phone: string | null;
  email: string | null;
  tags: string;
  assigned_user_id: string | null;
  dnd: string;
  created_at: string;
  updated_at: string;
  seq: number;
}
export const toContact = (r: ContactRow): Contact => ({
  id: r.id,
  accountId: r.account_id,
  locationId: r.location_id,
  name: r.name,
  phone: r.phone,
  email: r.email,
  tags: JSON.parse(r.tags) as string[],
  assignedUserId: r.assigned_user_id,
  dnd: JSON.parse(r.dnd) as Dnd,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  seq: r.seq,
  deletedAt: null,
});

export interface PhoneNumberRow {
  id: string;
  account_id: string;
  location_id: string | null;
  number: string;
  name: string;
  forwarding_number: string | null;
  caller_id_mode: PhoneNumber['callerIdMode'];
  call_connect: number;
  whisper_message: string | null;
  record_calls: number;
  ring_timeout_seconds: number;
  inbound_routing: PhoneNumber['inboundRouting'];
  assigned_user_id: string | null;
  ring_all_user_ids: string;
  seq: number;
}
export const toPhoneNumber = (r: PhoneNumberRow): PhoneNumber => ({
  id: r.id,
  accountId: r.account_id,
  locationId: r.location_id,
  number: r.number,
  name: r.name,
  forwardingNumber: r.forwarding_number,
  callerIdMode: r.caller_id_mode,
  callConnect: r.call_connect === 1,
  whisperMessage: r.whisper_message,
  recordCalls: r.record_calls === 1,
  ringTimeoutSeconds: r.ring_timeout_seconds,
  inboundRouting: r.inbound_routing,
  assignedUserId: r.assigned_user_id,
  ringAllUserIds: JSON.parse(r.ring_all_user_ids) as string[],
  seq: r.seq,
  deletedAt: null,
});

export interface CallRow {
  id: string;
  account_id: string;
  location_id: string | null;
  twilio_call_sid: string | null;
  direction: Call['direction'];
  source: Call['source'];
  from_number: string;
  to_number: string;
  phone_number_id: string | null;
  user_id: string | null;
  contact_id: string | null;
  rang_user_ids: string;
  status: Call['status'];
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  recordings: string;
  disposition_id: string | null;
  note: string | null;
  task_id: string | null;
  task_outcome: Call['taskOutcome'];
  seq: number;
  sort_key: number;
  agent_json: string | null;
}
/** The call as the user sees it: a pending local disposition or note is already in it. */
export const toCall = (r: CallRow): Call => ({
  id: r.id,
  accountId: r.account_id,
  locationId: r.location_id,
  twilioCallSid: r.twilio_call_sid,
  direction: r.direction,
  source: r.source,
  from: r.from_number,
  to: r.to_number,
  phoneNumberId: r.phone_number_id,
  userId: r.user_id,
  contactId: r.contact_id,
  rangUserIds: JSON.parse(r.rang_user_ids) as string[],
  status: r.status,
  startedAt: r.started_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  durationSeconds: r.duration_seconds,
  recordings: JSON.parse(r.recordings) as Call['recordings'],
  dispositionId: r.disposition_id,
  note: r.note,
  // Only on calls an AI agent answered (absent, like on the wire, for every other call).
  ...(r.agent_json ? { agent: JSON.parse(r.agent_json) as Call['agent'] } : {}),
  // Only on calls placed for a Manual Actions task, like on the wire.
  ...(r.task_id ? { taskId: r.task_id, taskOutcome: r.task_outcome ?? null } : {}),
  seq: r.seq,
});

export interface NotificationRow {
  id: string;
  account_id: string;
  user_id: string;
  title: string;
  message: string;
  redirect: string | null;
  read_at: string | null;
  created_at: string;
  seq: number;
}
export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  accountId: r.account_id,
  userId: r.user_id,
  title: r.title,
  message: r.message,
  redirect: r.redirect,
  readAt: r.read_at,
  createdAt: r.created_at,
  seq: r.seq,
});
