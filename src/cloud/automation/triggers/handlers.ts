import type { Contact } from '../../../shared/cloud/entities';
import { toE164 } from '../../../shared/cloud/phone';
import type { Queryable } from '../../db';
import { UnitOfWork } from '../../db/unit-of-work';
import type { DomainEvent, DomainEventType } from '../../events/domain-events';
import { CONTACT_COLUMNS, toContact } from '../../contacts/rows';
import { createContact } from '../../contacts/service';
import { endRun } from '../engine/store';
import { sendStepJob } from '../engine/jobs';
import { appointmentTrigger } from './appointments';
import { enrol, publishedWorkflow, publishedWorkflows, type TriggerEnv } from './enrol';
import { causeOf, isLoop, recordLoop } from './loops';
import { callDetailsMatch, callStatusFacts, tagFilterHolds, type CallFacts } from './filters';

/**
 * What each domain event does to workflows: start runs (triggers), wake waiting steps (signals),
 * stop runs (Stop on Response, a changed disposition). Runs inside the dispatcher's transaction,
 * so the runs and their first jobs exist exactly when the event is marked dispatched.
 */
type Handler = (tx: Queryable, env: TriggerEnv, event: DomainEvent) => Promise<void>;

const iso = (ms: number): string => new Date(ms).toISOString();

async function contactTags(tx: Queryable, contactId: string | null): Promise<string[]> {
  if (!contactId) return [];
  const rows = await tx.query<{ tags: string[] }>(`SELECT tags FROM contacts WHERE id = $1 AND deleted_at IS NULL`, [contactId]);
  return rows[0]?.tags ?? [];
}

type CallRow = {
  id: string; direction: 'inbound' | 'outbound'; status: string; answered_at: string | null; duration_seconds: number | null; phone_number_id: string | null;
  disposition_id: string | null; contact_id: string | null; recordings: { kind?: string }[]; from_number: string; to_number: string;
};

async function loadCall(tx: Queryable, accountId: string, callId: string): Promise<CallRow | null> {
  const rows = await tx.query<CallRow>(
    `SELECT id, direction, status, answered_at, duration_seconds, phone_number_id, disposition_id, contact_id, recordings, from_number, to_number
       FROM calls WHERE id = $1 AND account_id = $2`,
    [callId, accountId],
  );
  return rows[0] ?? null;
}

/**
 * The caller's contact, created when the number is not one yet (matched on E.164, never
 * duplicated), and linked to the call — a workflow about a call acts on its caller (the spam
 * example turns on DND for a number that was never saved as a contact).
 */
async function callContact(tx: Queryable, accountId: string, call: CallRow): Promise<string | null> {
  if (call.contact_id) return call.contact_id;
  const phone = toE164(call.direction === 'inbound' ? call.from_number : call.to_number);
  if (!phone) return null;
  const uow = new UnitOfWork(tx, accountId);
  const existing = await tx.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = $1 AND c.phone = $2 AND c.deleted_at IS NULL ORDER BY c.created_at LIMIT 1`, [accountId, phone]);
  const contact: Contact = existing[0] ? toContact(existing[0]) : await createContact(uow, null, { name: phone, phone });
  await tx.query(`UPDATE calls SET contact_id = $2, updated_at = now() WHERE id = $1 AND contact_id IS NULL`, [call.id, contact.id]);
  uow.touch('calls', call.id);
  await uow.finalize();
  return contact.id;
}

async function callDetails(tx: Queryable, env: TriggerEnv, event: DomainEvent, moment: 'disposition' | 'ended'): Promise<void> {
  if (!event.callId) return;
  const dispositionId = moment === 'disposition' ? ((event.payload.dispositionId as string | null) ?? null) : null;
  if (moment === 'disposition') {
    // The disposition changed: runs this call started for the previous one stop where they are.
    const previous = event.payload.previousDispositionId as string | null;
    if (previous) await stopRunsOfPreviousDisposition(tx, env, event, previous, dispositionId);
    if (!dispositionId) return;
  }
  const workflows = await publishedWorkflows(tx, event.accountId, ['call_details']);
  if (workflows.length === 0) return;
  const call = await loadCall(tx, event.accountId, event.callId);
  if (!call) return;
  const facts: CallFacts = {
    dispositionId: moment === 'disposition' ? dispositionId : call.disposition_id,
    direction: call.direction,
    durationSeconds: call.duration_seconds,
    contactTags: await contactTags(tx, call.contact_id),
    statuses: callStatusFacts(call),
    phoneNumberId: call.phone_number_id,
  };
  const matching = workflows.filter((w) => {
    const trigger = w.plan.document.trigger;
    return trigger?.type === 'call_details' && callDetailsMatch(trigger.filters, facts, moment);
  });
  if (matching.length === 0) return;
  const contactId = await callContact(tx, event.accountId, call);
  for (const workflow of matching) {
    await enrol(tx, env, workflow, {
      accountId: event.accountId, contactId, trigger: event.type, eventId: event.id,
      occurrenceKey: moment === 'disposition' ? `call:${call.id}:disposition:${dispositionId}` : `call:${call.id}:ended`,
      context: { callId: call.id, ...(dispositionId ? { dispositionId } : {}) },
    });
  }
}

async function stopRunsOfPreviousDisposition(tx: Queryable, env: TriggerEnv, event: DomainEvent, previous: string, next: string | null): Promise<void> {
  const labels = await tx.query<{ id: string; label: string }>(`SELECT id, label FROM dispositions WHERE id = ANY($1::text[])`, [[previous, next].filter(Boolean)]);
  const label = (id: string | null): string => labels.find((l) => l.id === id)?.label ?? 'none';
  const runs = await tx.query<{ id: string }>(
    `SELECT id FROM workflow_runs WHERE account_id = $1 AND trigger = 'call.disposition_set' AND status IN ('running', 'waiting')
        AND context->>'callId' = $2 AND context->>'dispositionId' = $3 FOR NO KEY UPDATE`,
    [event.accountId, event.callId, previous],
  );
  for (const run of runs) {
    await endRun(tx, run.id, 'stopped', `The call's disposition changed from "${label(previous)}" to "${label(next)}"`, env.nowMs);
  }
}

async function contactTrigger(tx: Queryable, env: TriggerEnv, event: DomainEvent): Promise<void> {
  if (!event.contactId) return;
  const type = event.type === 'contact.created' ? 'contact_created' : event.type === 'contact.tag_added' ? 'contact_tag_added' : 'contact_tag_removed';
  const workflows = await publishedWorkflows(tx, event.accountId, [type]);
  if (workflows.length === 0) return;
  const tags = await contactTags(tx, event.contactId);
  const tag = (event.payload.tag as string | undefined)?.toLowerCase();
  // A change a run made carries that run's chain of workflows: one already in it is a loop (loops.ts).
  const cause = await causeOf(tx, event);
  for (const workflow of workflows) {
    const trigger = workflow.plan.document.trigger;
    if (trigger?.type === 'contact_created' && !tagFilterHolds(trigger.filters.contactTags, tags)) continue;
    if ((trigger?.type === 'contact_tag_added' || trigger?.type === 'contact_tag_removed') && !trigger.filters.tags.some((t) => t.toLowerCase() === tag)) continue;
    const enrolment = {
      accountId: event.accountId, contactId: event.contactId, trigger: event.type, eventId: event.id,
      occurrenceKey: `event:${event.id}`, context: { ...(tag ? { tag } : {}), ...(cause ? { chain: cause.chain } : {}) },
    };
    if (cause && isLoop(cause, workflow.id)) await recordLoop(tx, workflow, enrolment, cause, env.nowMs);
    else await enrol(tx, env, workflow, enrolment);
  }
}

/** A signal for waiting steps (`task.finished`, or `automation.signal` from signalWaitingSteps): wake them now. */
async function wakeWaiting(tx: Queryable, env: TriggerEnv, waitKey: string, accountId: string): Promise<void> {
  const steps = await tx.query<{ run_id: string; step_key: string }>(
    `SELECT run_id, step_key FROM run_steps WHERE wait_key = $1 AND account_id = $2 AND status = 'waiting'`,
    [waitKey, accountId],
  );
  for (const s of steps) await sendStepJob(env.boss, tx, { runId: s.run_id, stepKey: s.step_key }, env.nowMs);
}

async function taskFinished(tx: Queryable, env: TriggerEnv, event: DomainEvent): Promise<void> {
  if (!event.taskId) return;
  const waitKey = `task:${event.taskId}`;
  await tx.query(`INSERT INTO step_signals (account_id, wait_key, payload, created_at) VALUES ($1, $2, $3::jsonb, $4)`, [
    event.accountId, waitKey, JSON.stringify({ type: event.type, ...event.payload }), iso(env.nowMs),
  ]);
  await wakeWaiting(tx, env, waitKey, event.accountId);
}

/** Stop on Response: the contact replied (or answered a workflow's call) — their runs in workflows with the setting end. */
async function stopOnResponse(tx: Queryable, env: TriggerEnv, event: DomainEvent): Promise<void> {
  if (!event.contactId) return;
  const runs = await tx.query<{ id: string }>(
    `SELECT id FROM workflow_runs WHERE contact_id = $1 AND account_id = $2 AND status IN ('running', 'waiting') AND stop_on_response ORDER BY id FOR NO KEY UPDATE`,
    [event.contactId, event.accountId],
  );
  const why =
    event.type === 'message.inbound'
      ? `The contact replied by ${String(event.payload.channel ?? 'message')} (Stop on Response)`
      : 'The contact answered a call (Stop on Response)';
  for (const run of runs) {
    // A call placed by a run that the contact answers stops that run too: it is the response.
    await endRun(tx, run.id, 'stopped', why, env.nowMs);
  }
}

/** Manual enrolment and inbound webhooks name their workflow. */
async function direct(tx: Queryable, env: TriggerEnv, event: DomainEvent): Promise<void> {
  const workflow = await publishedWorkflow(tx, event.accountId, String(event.payload.workflowId ?? ''));
  if (!workflow) return;
  const webhook = event.type === 'workflow.inbound_webhook' ? (event.payload.fields as Record<string, unknown>) : undefined;
  const customValues = event.type === 'workflow.manual_enrolment' ? (event.payload.customValues as Record<string, unknown>) : undefined;
  await enrol(tx, env, workflow, {
    accountId: event.accountId, contactId: event.contactId, trigger: event.type === 'workflow.inbound_webhook' ? 'inbound_webhook' : 'manual', eventId: event.id,
    occurrenceKey: `event:${event.id}`, context: { ...(webhook ? { webhook } : {}), ...(customValues ? { customValues } : {}) },
  });
}

export const eventHandlers: Partial<Record<DomainEventType, Handler>> = {
  'call.disposition_set': (tx, env, e) => callDetails(tx, env, e, 'disposition'),
  'call.ended': (tx, env, e) => callDetails(tx, env, e, 'ended'),
  'contact.created': contactTrigger,
  'contact.tag_added': contactTrigger,
  'contact.tag_removed': contactTrigger,
  'appointment.booked': appointmentTrigger,
  'appointment.status_changed': appointmentTrigger,
  'task.finished': taskFinished,
  'message.inbound': stopOnResponse,
  'call.answered_by_contact': stopOnResponse,
  'workflow.inbound_webhook': direct,
  'workflow.manual_enrolment': direct,
  'automation.signal': (tx, env, e) => wakeWaiting(tx, env, String(e.payload.waitKey), e.accountId),
};
