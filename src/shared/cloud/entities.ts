import { z } from 'zod';
import { CALL_SOURCES } from '../reporting/status';
import { callAgentRecordSchema } from './agents';
import { e164Schema } from './phone';
import { callOutcomeSchema } from './tasks';

/**
 * Entity shapes as the cloud API sends them (REST responses, sync pull, realtime events).
 * Timestamps are ISO-8601 strings in UTC. `seq` is the account-wide change sequence of the row's
 * last change; `deletedAt` marks a soft-deleted row (sync sends it so clients can drop it).
 */
const iso = z.string();
const id = z.string().min(1).max(64);

export const roleSchema = z.enum(['admin', 'user']);
export type Role = z.infer<typeof roleSchema>;

export const accountSchema = z.object({
  id,
  name: z.string(),
  /** The practice's time zone (IANA name): reports' dates and hours are in it. */
  timezone: z.string().default('America/Los_Angeles'),
  seq: z.number().int(),
});
export type Account = z.infer<typeof accountSchema>;

export const locationSchema = z.object({
  id,
  accountId: id,
  name: z.string(),
  timezone: z.string(),
  seq: z.number().int(),
  deletedAt: iso.nullable(),
});
export type Location = z.infer<typeof locationSchema>;

export const teamSchema = z.object({
  id,
  accountId: id,
  name: z.string(),
  memberIds: z.array(id),
  /** The team's lead, one of its members (null: none chosen). */
  leadUserId: id.nullable().default(null),
  seq: z.number().int(),
  deletedAt: iso.nullable(),
});
export type Team = z.infer<typeof teamSchema>;

export const userSchema = z.object({
  id,
  accountId: id,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  /** The user's own profile phone (the one the 2FA-protected change updates), if any. */
  phone: e164Schema.nullable(),
  locationIds: z.array(id),
  teamIds: z.array(id),
  /** The one number whose inbound calls go to this user ("Inbound Number" in My Staff), if any. */
  inboundNumberId: id.nullable(),
  /** Twilio Voice client identity of this user. */
  twilioIdentity: z.string(),
  seq: z.number().int(),
  deletedAt: iso.nullable(),
});
export type User = z.infer<typeof userSchema>;

export const dndChannels = ['call', 'sms', 'email', 'whatsapp'] as const;
export const dndChannelSchema = z.enum(dndChannels);
export type DndChannel = z.infer<typeof dndChannelSchema>;
export const dndDirectionSchema = z.object({ inbound: z.boolean(), outbound: z.boolean() });
/** Do Not Disturb per channel and per direction. */
export const dndSchema = z.object({
  call: dndDirectionSchema,
  sms: dndDirectionSchema,
  email: dndDirectionSchema,
  whatsapp: dndDirectionSchema,
});
export type Dnd = z.infer<typeof dndSchema>;
export const noDnd = (): Dnd => ({
  call: { inbound: false, outbound: false },
  sms: { inbound: false, outbound: false },
  email: { inbound: false, outbound: false },
  whatsapp: { inbound: false, outbound: false },
});

export const contactSchema = z.object({
  id,
  accountId: id,
  locationId: id.nullable(),
  name: z.string(),
  phone: e164Schema.nullable(),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  assignedUserId: id.nullable(),
  dnd: dndSchema,
  /** Custom fields (key → text) that workflows set; the cloud always sends them (the desktop cache does not keep them). */
  customFields: z.record(z.string(), z.string()).optional(),
  createdAt: iso,
  updatedAt: iso,
  seq: z.number().int(),
  deletedAt: iso.nullable(),
});
export type Contact = z.infer<typeof contactSchema>;

export const inboundRoutingSchema = z.enum(['assigned_member', 'ring_all']);
export type InboundRouting = z.infer<typeof inboundRoutingSchema>;

export const phoneNumberSchema = z.object({
  id,
  accountId: id,
  locationId: id.nullable(),
  number: e164Schema,
  name: z.string(),
  /** Forward every inbound call to this number instead of ringing the softphone. */
  forwardingNumber: e164Schema.nullable(),
  /** Show the caller's number (`caller`) or this Aesthetix number (`number`) to the answering user. */
  callerIdMode: z.enum(['caller', 'number']),
  /** Call connect: the answering user must press a key before being connected. */
  callConnect: z.boolean(),
  /** Played to the answering user before the caller is connected; null for none. */
  whisperMessage: z.string().nullable(),
  recordCalls: z.boolean(),
  ringTimeoutSeconds: z.number().int().min(5).max(120),
  inboundRouting: inboundRoutingSchema,
  /** The member whose inbound number this is (one inbound number per member). */
  assignedUserId: id.nullable(),
  /** Members rung when inboundRouting is ring_all (empty: every user of the number's location). */
  ringAllUserIds: z.array(id),
  seq: z.number().int(),
  deletedAt: iso.nullable(),
});
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

export const callDirectionSchema = z.enum(['inbound', 'outbound']);
/** How a call came to be (see src/shared/reporting/status.ts). */
export const callSourceSchema = z.enum(CALL_SOURCES);
export const callStatusSchema = z.enum([
  'queued',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'canceled',
  'failed',
  /** Inbound call refused without ringing anyone (contact has inbound call DND). */
  'rejected',
  /** Inbound call that rang users and was not answered (went to voicemail or the caller hung up). */
  'missed',
]);
export type CallStatus = z.infer<typeof callStatusSchema>;

export const recordingSchema = z.object({
  sid: z.string(),
  url: z.string().nullable(),
  durationSeconds: z.number().int().nullable(),
  status: z.string(),
  kind: z.enum(['call', 'voicemail']),
});
export type Recording = z.infer<typeof recordingSchema>;

export const callSchema = z.object({
  id,
  accountId: id,
  locationId: id.nullable(),
  twilioCallSid: z.string().nullable(),
  direction: callDirectionSchema,
  source: callSourceSchema.default('softphone'),
  from: z.string(),
  to: z.string(),
  phoneNumberId: id.nullable(),
  /** The user who placed or answered the call. */
  userId: id.nullable(),
  contactId: id.nullable(),
  /** Users the inbound call rang. */
  rangUserIds: z.array(id),
  status: callStatusSchema,
  startedAt: iso,
  answeredAt: iso.nullable(),
  endedAt: iso.nullable(),
  durationSeconds: z.number().int().nullable(),
  recordings: z.array(recordingSchema),
  dispositionId: id.nullable(),
  note: z.string().nullable(),
  /** Set when an AI agent answered the call (absent from older clouds and for every other call). */
  agent: callAgentRecordSchema.nullish(),
  /** The Manual Actions call task this call was placed for, and how the receptionist said it went
   * (a disposition, or No answer / Left voicemail / Wrong number). Absent for every other call and from older clouds. */
  taskId: id.nullable().optional(),
  taskOutcome: callOutcomeSchema.nullable().optional(),
  seq: z.number().int(),
});
export type Call = z.infer<typeof callSchema>;

export const MAX_DISPOSITIONS = 10;
export const DEFAULT_DISPOSITION_LABELS = [
  'Booked',
  'Requested Appointment',
  'Follow Up',
  'Requested Callback',
  'Not Interested',
  'Spam call',
] as const;

export const dispositionLabelSchema = z.string().trim().min(1).max(60);
export const dispositionSchema = z.object({
  id,
  accountId: id,
  label: z.string(),
  /** 0-based order in the picker (keys 1–0). Deleted dispositions keep their last position. */
  position: z.number().int(),
  seq: z.number().int(),
  /** A deleted disposition still labels the calls that used it; it is no longer offered. */
  deletedAt: iso.nullable(),
});
export type Disposition = z.infer<typeof dispositionSchema>;

export const notificationSchema = z.object({
  id,
  accountId: id,
  userId: id,
  title: z.string(),
  message: z.string(),
  /** Where a click lands, e.g. `call:<id>` or `contact:<id>`. */
  redirect: z.string().nullable(),
  readAt: iso.nullable(),
  createdAt: iso,
  seq: z.number().int(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  accountId: id,
  actorUserId: id.nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: iso,
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
