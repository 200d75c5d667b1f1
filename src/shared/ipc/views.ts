import { z } from 'zod';
import {
  accountSchema,
  callSchema,
  contactSchema,
  dispositionLabelSchema,
  dispositionSchema,
  locationSchema,
  notificationSchema,
  phoneNumberSchema,
  teamSchema,
  userSchema,
} from '../cloud';

/**
 * What the renderer reads from main's local cache, as zod schemas for the IPC contract. Main's
 * cache (src/main/cache) produces exactly these shapes.
 */
const id = z.string().min(1).max(64);
const isoDate = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'Must be an ISO-8601 date');

export const dispositionRefSchema = z.object({ id: z.string(), label: z.string(), deleted: z.boolean() });

export const callListItemSchema = z.object({
  call: callSchema,
  contactName: z.string().nullable(),
  userName: z.string().nullable(),
  disposition: dispositionRefSchema.nullable(),
  /** A local change to this call is still waiting to reach the cloud. */
  pendingSync: z.boolean(),
});
export type CallListItemView = z.infer<typeof callListItemSchema>;

export const historyFiltersSchema = z.object({
  /** Full-text query (contact name, digits of either number, note). */
  query: z.string().max(200).optional(),
  /** A disposition id, or null for calls without one. */
  dispositionId: id.nullable().optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  userId: id.optional(),
  contactId: id.optional(),
  locationId: id.optional(),
  /** Inclusive lower bound on startedAt. */
  from: isoDate.optional(),
  /** Exclusive upper bound on startedAt. */
  to: isoDate.optional(),
  limit: z.number().int().min(1).max(500).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,16}$/)
    .nullable()
    .optional(),
});
export type HistoryFiltersInput = z.input<typeof historyFiltersSchema>;

/** Totals over every call the filters match (not just the page shown), by the shared reporting rules. */
export const historyTotalsSchema = z.object({
  calls: z.number().int().nonnegative(),
  answered: z.number().int().nonnegative(),
  /** Unanswered incoming calls, voicemails included (what "missed" means on the reports). */
  missed: z.number().int().nonnegative(),
  talkSeconds: z.number().int().nonnegative(),
});
export type HistoryTotalsView = z.infer<typeof historyTotalsSchema>;

export const historyPageSchema = z.object({
  items: z.array(callListItemSchema),
  nextCursor: z.string().nullable(),
  /** On the first page only (null on the pages after it). */
  totals: historyTotalsSchema.nullable(),
  /** A search while the first sync's calls are still being indexed: some calls are not found yet. */
  searchIndexing: z.boolean().optional(),
});
export type HistoryPageView = z.infer<typeof historyPageSchema>;

export const screenPopSchema = z.object({
  contact: contactSchema.nullable(),
  assignedUser: z.object({ id: z.string(), name: z.string() }).nullable(),
  lastCall: callListItemSchema.nullable(),
});
export type ScreenPopView = z.infer<typeof screenPopSchema>;

export const searchResultSchema = z.object({ contacts: z.array(contactSchema), calls: z.array(callListItemSchema) });
export type SearchResultView = z.infer<typeof searchResultSchema>;

export const wrapupSchema = z.object({
  twilioCallSid: z.string(),
  callId: z.string().nullable(),
  endedAt: z.string(),
  locationId: z.string().nullable(),
  dispositionId: z.string().nullable(),
  note: z.string().nullable(),
  state: z.enum(['pending', 'chosen']),
  updatedAt: z.number(),
});
export type WrapupView = z.infer<typeof wrapupSchema>;

export const wrapupStartSchema = z.object({
  twilioCallSid: z.string().min(1).max(64),
  callId: id.nullable().default(null),
  endedAt: isoDate,
  locationId: id.nullable().default(null),
});

const twilioCallSid = z.string().min(1).max(64);
const wrapupNoteSchema = z.string().max(4000).nullable().default(null);

export const wrapupChooseSchema = z.object({ twilioCallSid, dispositionId: id, note: wrapupNoteSchema });
export const wrapupNoteInputSchema = z.object({ twilioCallSid, note: wrapupNoteSchema });
export const wrapupRefSchema = z.object({ twilioCallSid });
export type WrapupStartInput = z.infer<typeof wrapupStartSchema>;
export type WrapupChooseInput = z.infer<typeof wrapupChooseSchema>;

/**
 * Main's wrap-up state, pushed as `wrapups.changed` whenever it changes. Main owns the undo window:
 * a choice is committed at `undo.commitAt` unless undone first.
 */
export const wrapUpStateSchema = z.object({
  /** Calls waiting for a disposition, oldest first: the picker shows the first. */
  items: z.array(wrapupSchema),
  /** A choice in its undo window. */
  undo: z.object({ twilioCallSid: z.string(), dispositionId: z.string(), commitAt: z.number() }).nullable(),
  /** Why the last commit of a wrap-up failed (it stays open). */
  error: z.object({ twilioCallSid: z.string(), message: z.string() }).nullable(),
});
export type WrapUpStateView = z.infer<typeof wrapUpStateSchema>;

/** A wrap-up ended: its choice was logged (committed to the outbox) or it was skipped. */
export const wrapUpResolvedSchema = z.object({
  twilioCallSid: z.string(),
  outcome: z.enum(['logged', 'skipped']),
  dispositionLabel: z.string().nullable(),
});
export type WrapUpResolvedView = z.infer<typeof wrapUpResolvedSchema>;

export const directorySchema = z.object({
  account: accountSchema.nullable(),
  me: userSchema.nullable(),
  locations: z.array(locationSchema),
  teams: z.array(teamSchema),
  users: z.array(userSchema),
  phoneNumbers: z.array(phoneNumberSchema),
});
export type DirectoryView = z.infer<typeof directorySchema>;

export const dispositionsViewSchema = z.object({ active: z.array(dispositionSchema), all: z.array(dispositionSchema) });

export const dispositionAdminSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('create'), label: dispositionLabelSchema }),
  z.object({ action: z.literal('rename'), dispositionId: id, label: dispositionLabelSchema }),
  z.object({ action: z.literal('delete'), dispositionId: id }),
  z.object({ action: z.literal('reorder'), orderedIds: z.array(id).min(1).max(10) }),
]);
export type DispositionAdminInput = z.infer<typeof dispositionAdminSchema>;

export const notificationsViewSchema = z.object({ items: z.array(notificationSchema), unread: z.number().int() });
