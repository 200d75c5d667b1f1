import type { Queryable } from '../db';
import type { DeferredRows, UnitOfWork } from '../db/unit-of-work';

/**
 * Domain events: what happened in the practice that a workflow can react to. Written by
 * `recordDomainEvent` IN THE SAME TRANSACTION as the change (contract in WAVE2-CONTRACTS.md), so an
 * event exists exactly when its change committed. The automation engine dispatches them.
 */
export type DomainEventType =
  | 'call.ended'
  | 'call.disposition_set'
  | 'call.answered_by_contact'
  | 'contact.created'
  | 'contact.tag_added'
  | 'contact.tag_removed'
  | 'appointment.booked'
  | 'appointment.status_changed'
  | 'task.finished'
  | 'message.inbound'
  | 'call.agent_finished'
  | 'workflow.inbound_webhook'
  | 'workflow.manual_enrolment'
  /** A waiting workflow step's outside signal arrived (src/cloud/automation/signals.ts). */
  | 'automation.signal';

/** Payload keys per type (camelCase). Subject ids travel in their own fields, not the payload. */
export interface DomainEventPayloads {
  'call.ended': { status: string; direction: string; durationSeconds: number | null; phoneNumberId: string | null; voicemail?: boolean };
  'call.disposition_set': { dispositionId: string | null; previousDispositionId: string | null };
  /** The contact (not a user) answered a call a workflow placed, or called in: Stop on Response. */
  'call.answered_by_contact': { callSid?: string; answeredBy?: string };
  'contact.created': Record<string, never>;
  'contact.tag_added': { tag: string };
  'contact.tag_removed': { tag: string };
  'appointment.booked': { status: string; providerId: string | null; startsAt: string };
  'appointment.status_changed': { status: string; previousStatus: string; providerId: string | null; startsAt: string };
  'task.finished': { stepKey: string | null; outcome: 'completed' | 'skipped' | 'cancelled' | 'expired'; reason: string | null };
  'message.inbound': { channel: 'sms' | 'whatsapp' | 'email'; messageSid?: string; from?: string };
  'call.agent_finished': Record<string, unknown>;
  'workflow.inbound_webhook': { workflowId: string; fields: Record<string, unknown> };
  'workflow.manual_enrolment': { workflowId: string; customValues: Record<string, unknown> };
  'automation.signal': { waitKey: string };
}

export interface DomainEventSubjects {
  contactId?: string | null;
  callId?: string | null;
  appointmentId?: string | null;
  taskId?: string | null;
  runId?: string | null;
  /** Who made the change (null for webhooks and the engine itself). */
  actorUserId?: string | null;
}

export type NewDomainEvent = {
  [T in DomainEventType]: { accountId: string; type: T; payload: DomainEventPayloads[T] } & DomainEventSubjects;
}[DomainEventType];

/** A stored event as the dispatcher reads it. */
export interface DomainEvent extends Required<DomainEventSubjects> {
  id: number;
  accountId: string;
  type: DomainEventType;
  payload: Record<string, unknown>;
  occurredAt: string;
}

/** NOTIFY channel that wakes dispatchers; the payload is empty (PostgreSQL folds repeats in one transaction). */
export const DOMAIN_EVENTS_CHANNEL = 'aesthetix_domain_events';

/**
 * Inserts events in the order given (ids ascend in that order), each with the dispatchers' wake-up
 * NOTIFY in the same statement (PostgreSQL folds the repeats of one transaction); returns the ids.
 */
async function insertEvents(q: Queryable, events: readonly NewDomainEvent[]): Promise<number[]> {
  const column = (pick: (e: NewDomainEvent) => string | null | undefined): (string | null)[] => events.map((e) => pick(e) ?? null);
  const rows = await q.query<{ id: number }>(
    `WITH ins AS (
       INSERT INTO domain_events (account_id, type, contact_id, call_id, appointment_id, task_id, run_id, actor_user_id, payload)
       SELECT e.account_id, e.type, e.contact_id, e.call_id, e.appointment_id, e.task_id, e.run_id, e.actor_user_id, e.payload::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
              WITH ORDINALITY AS e(account_id, type, contact_id, call_id, appointment_id, task_id, run_id, actor_user_id, payload, n)
        ORDER BY e.n
       RETURNING id
     )
     SELECT id, pg_notify($10, '') AS woke FROM ins ORDER BY id`,
    [
      column((e) => e.accountId), column((e) => e.type), column((e) => e.contactId), column((e) => e.callId), column((e) => e.appointmentId),
      column((e) => e.taskId), column((e) => e.runId), column((e) => e.actorUserId), column((e) => JSON.stringify(e.payload)), DOMAIN_EVENTS_CHANNEL,
    ],
  );
  return rows.map((r) => Number(r.id));
}

/** A unit of work's events, inserted by its `finalize` in one statement (a sync push records a hundred). */
const EVENT_ROWS: DeferredRows<NewDomainEvent> = {
  write: async (q, _accountId, events) => {
    await insertEvents(q, events);
  },
};

/**
 * Records the event with the unit of work's other changes: inserted at its end, in the same
 * transaction and in the order recorded (ids ascend in that order).
 */
export function recordDomainEvent(uow: UnitOfWork, event: NewDomainEvent): void {
  uow.defer(EVENT_ROWS, event);
}

/** Inserts the event now and returns its id; `tx` is the transaction that makes the change (a UnitOfWork's `q`, or the UnitOfWork itself). */
export async function insertDomainEvent(tx: Queryable | { q: Queryable }, event: NewDomainEvent): Promise<number> {
  const [id] = await insertEvents('q' in tx ? tx.q : tx, [event]);
  return id!;
}

export const DOMAIN_EVENT_COLUMNS = `e.id, e.account_id, e.type, e.contact_id, e.call_id, e.appointment_id, e.task_id, e.run_id, e.actor_user_id, e.payload, e.occurred_at`;
export function toDomainEvent(r: Record<string, unknown>): DomainEvent {
  const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    accountId: String(r.account_id),
    type: String(r.type) as DomainEventType,
    contactId: s(r.contact_id),
    callId: s(r.call_id),
    appointmentId: s(r.appointment_id),
    taskId: s(r.task_id),
    runId: s(r.run_id),
    actorUserId: s(r.actor_user_id),
    payload: (r.payload ?? {}) as Record<string, unknown>,
    occurredAt: String(r.occurred_at),
  };
}
