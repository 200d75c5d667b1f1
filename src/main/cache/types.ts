import { z } from 'zod';
import type { Call, Contact, Mutation, MutationType } from '../../shared/cloud';
import { historyFiltersSchema } from '../../shared/ipc/views';

/** The cache's own input shapes (the cloud's come from src/shared/cloud). */
const id = z.string().min(1).max(64);
const isoDate = z
  .string()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'Must be an ISO-8601 date' });
const epochMs = z.number().int().min(0).max(8.64e15);

export type OutboxState = 'pending' | 'rejected';

export interface OutboxEntry {
  /** Push order. */
  seq: number;
  idempotencyKey: string;
  type: MutationType;
  mutation: Mutation;
  /** Epoch ms. */
  createdAt: number;
  attempts: number;
  /** Epoch ms; not pushed before this. */
  nextAttemptAt: number;
  lastError: string | null;
  state: OutboxState;
}

/** A Twilio call SID as the cache keys wrap-ups and calls by it. */
export const callSidSchema = z.string().min(1).max(64);

export const wrapupInputSchema = z.object({
  twilioCallSid: callSidSchema,
  callId: id.nullable().default(null),
  endedAt: isoDate,
  locationId: id.nullable().default(null),
  dispositionId: id.nullable().default(null),
  note: z.string().max(4000).nullable().default(null),
});
export type WrapupInput = z.input<typeof wrapupInputSchema>;

/** What the receptionist sets on a waiting wrap-up: the chosen disposition (null: none yet) and the note. */
export const wrapupChoiceSchema = wrapupInputSchema.pick({ dispositionId: true, note: true });
export type WrapupChoice = z.input<typeof wrapupChoiceSchema>;

/** A disposition picked on a waiting wrap-up, with its note: the keystroke's input, checked in one parse. */
export const wrapupPickSchema = z.object({ twilioCallSid: wrapupInputSchema.shape.twilioCallSid, dispositionId: id, note: z.string().max(4000).nullable() });
export type WrapupPick = z.input<typeof wrapupPickSchema>;

export interface Wrapup {
  twilioCallSid: string;
  callId: string | null;
  endedAt: string;
  locationId: string | null;
  dispositionId: string | null;
  note: string | null;
  /** 'chosen': a disposition is picked but not committed yet (the undo window). */
  state: 'pending' | 'chosen';
  updatedAt: number;
}

/** What a pick is checked against before its durable point (the keystroke's path): see wrapups.ts `choiceTarget`. */
export interface ChoiceTarget {
  /** The waiting wrap-up's location (null: none recorded). */
  locationId: string | null;
  /** The disposition picked: usable, deleted, or not in the cache at all. */
  disposition: 'usable' | 'deleted' | 'unknown';
}

export const setDispositionInputSchema = z.object({
  callId: id,
  dispositionId: id.nullable(),
  note: z.string().max(4000).nullable().optional(),
  idempotencyKey: z.string(),
  /** The Twilio SID of the wrap-up this commits (deleted in the same transaction); by callId if omitted. */
  twilioCallSid: callSidSchema.optional(),
});
export type SetDispositionInput = z.input<typeof setDispositionInputSchema>;

export interface DispositionLabel {
  id: string;
  label: string;
  /** A deleted disposition still labels the calls that used it. */
  deleted: boolean;
}

/** One row of call history, with what the list shows next to the call. */
export interface CallListItem {
  call: Call;
  contactName: string | null;
  userName: string | null;
  disposition: DispositionLabel | null;
  /** A local change to this call is still waiting in the outbox. */
  pendingSync: boolean;
}

/** The history filters are part of the IPC contract: one schema, in src/shared/views.ts. */
export { historyFiltersSchema };
export type HistoryFilters = z.input<typeof historyFiltersSchema>;
export interface HistoryPage {
  items: CallListItem[];
  nextCursor: string | null;
  /** Over every matching call; computed for the first page only. */
  totals: HistoryTotals | null;
  /** Set on a search while a first pull's calls are still being indexed (search-aside.ts): they are not found yet. */
  searchIndexing?: boolean;
}
export interface HistoryTotals {
  calls: number;
  answered: number;
  missed: number;
  talkSeconds: number;
}

export interface ScreenPop {
  contact: Contact | null;
  assignedUser: { id: string; name: string } | null;
  lastCall: CallListItem | null;
}

export const searchInputSchema = z.object({
  query: z.string().max(200),
  limit: z.number().int().min(1).max(200).default(20),
});
export type SearchInput = z.input<typeof searchInputSchema>;
export interface SearchResult {
  contacts: Contact[];
  calls: CallListItem[];
}

export const notificationListSchema = z.object({
  unreadOnly: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(50),
});
export type NotificationListOptions = z.input<typeof notificationListSchema>;

export interface PullApplied {
  cursor: number;
  hasMore: boolean;
  /** Rows written or deleted, per entity (rows older than what is stored are skipped, not counted). */
  applied: number;
}

export const epochMsSchema = epochMs;
export const isoDateSchema = isoDate;
export const entityIdSchema = id;
