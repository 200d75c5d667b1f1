import type { PgBoss } from 'pg-boss';
import type { TriggerType } from '../../../shared/cloud/workflows';
import type { Queryable } from '../../db';
import type { RunContext } from '../actions/types';
import type { WorkflowPlan } from '../engine/plan';
import { loadPlan, startRun } from '../engine/store';

export interface TriggerEnv {
  boss: PgBoss;
  nowMs: number;
}

export interface PublishedWorkflow {
  id: string;
  version: number;
  plan: WorkflowPlan;
}

/** The account's published workflows with one of these trigger types (documents from the plan cache). */
export async function publishedWorkflows(tx: Queryable, accountId: string, types: TriggerType[]): Promise<PublishedWorkflow[]> {
  const rows = await tx.query<{ id: string; published_version: number }>(
    `SELECT id, published_version FROM workflows
      WHERE account_id = $1 AND status = 'published' AND deleted_at IS NULL AND trigger_type = ANY($2::text[]) ORDER BY created_at, id`,
    [accountId, types],
  );
  const out: PublishedWorkflow[] = [];
  for (const row of rows) out.push({ id: row.id, version: row.published_version, plan: await loadPlan(tx, row.id, row.published_version) });
  return out;
}

/** One published workflow of the account (null: unknown, deleted, draft or paused). */
export async function publishedWorkflow(tx: Queryable, accountId: string, workflowId: string): Promise<PublishedWorkflow | null> {
  const rows = await tx.query<{ published_version: number }>(
    `SELECT published_version FROM workflows WHERE id = $1 AND account_id = $2 AND status = 'published' AND deleted_at IS NULL AND published_version IS NOT NULL`,
    [workflowId, accountId],
  );
  const row = rows[0];
  return row ? { id: workflowId, version: row.published_version, plan: await loadPlan(tx, workflowId, row.published_version) } : null;
}

export interface Enrolment {
  accountId: string;
  contactId: string | null;
  /** What started it: the domain event type. */
  trigger: string;
  eventId: number | null;
  /** Identifies this occurrence (an event, a call and disposition…): one run per workflow per occurrence. */
  occurrenceKey: string;
  context: RunContext;
}

/**
 * Starts a run of `workflow` unless the occurrence already started one — or, with re-entry off,
 * unless the contact was ever in this workflow (the dedupe key is then the contact: a unique index,
 * so two dispatchers racing cannot both let the contact in).
 */
export async function enrol(tx: Queryable, env: TriggerEnv, workflow: PublishedWorkflow, e: Enrolment): Promise<string | null> {
  const settings = workflow.plan.document.settings;
  const dedupeKey = !settings.allowReentry && e.contactId ? `contact:${e.contactId}` : e.occurrenceKey;
  return startRun(
    tx,
    env.boss,
    workflow.plan,
    {
      accountId: e.accountId, workflowId: workflow.id, version: workflow.version, contactId: e.contactId, trigger: e.trigger, eventId: e.eventId,
      dedupeKey, context: e.context, stopOnResponse: settings.stopOnResponse,
    },
    env.nowMs,
  );
}
