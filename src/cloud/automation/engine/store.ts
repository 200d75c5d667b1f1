import type { PgBoss } from 'pg-boss';
import { workflowDocumentSchema, type WorkflowDocument } from '../../../shared/cloud/workflows';
import type { Queryable } from '../../db';
import { newId } from '../../ids';
import type { RunContext } from '../actions/types';
import { sendStepJob } from './jobs';
import { cachedPlan, planFor, type WorkflowPlan } from './plan';

/** Rows of workflow_runs / run_steps as the engine reads them, and the writes that move them. */
export type RunRow = {
  id: string;
  account_id: string;
  workflow_id: string;
  version: number;
  contact_id: string | null;
  status: 'running' | 'waiting' | 'completed' | 'stopped' | 'failed';
  trigger: string;
  context: RunContext;
  stop_on_response: boolean;
  reason: string | null;
  started_at: string;
};
export type StepRow = {
  run_id: string;
  step_key: string;
  step_id: string;
  name: string;
  type: string;
  status: 'pending' | 'running' | 'waiting' | 'completed' | 'error' | 'skipped' | 'removed';
  attempts: number;
  lease_until: string | null;
  wait_until: string | null;
  wait_key: string | null;
  wake: unknown;
  started_at: string | null;
  created_at: string;
};

export const RUN_COLUMNS = `id, account_id, workflow_id, version, contact_id, status, trigger, context, stop_on_response, reason, started_at`;
export const STEP_COLUMNS = `run_id, step_key, step_id, name, type, status, attempts, lease_until, wait_until, wait_key, wake, started_at, created_at`;

export const isActiveRun = (status: RunRow['status']): boolean => status === 'running' || status === 'waiting';
export const isOpenStep = (status: StepRow['status']): boolean => status === 'pending' || status === 'running' || status === 'waiting';

export async function loadPlan(q: Queryable, workflowId: string, version: number): Promise<WorkflowPlan> {
  const cached = cachedPlan(workflowId, version);
  if (cached) return cached;
  const rows = await q.query<{ document: unknown }>(`SELECT document FROM workflow_versions WHERE workflow_id = $1 AND version = $2`, [workflowId, version]);
  if (!rows[0]) throw new Error(`workflow ${workflowId} has no version ${version}`);
  const document: WorkflowDocument = workflowDocumentSchema.parse(rows[0].document);
  return planFor(workflowId, version, () => document);
}

export interface NewRun {
  accountId: string;
  workflowId: string;
  version: number;
  contactId: string | null;
  trigger: string;
  eventId: number | null;
  dedupeKey: string;
  context: RunContext;
  stopOnResponse: boolean;
}

/**
 * Starts a run (in the caller's transaction): the run row, its first step and that step's job.
 * Returns null when the dedupe key says this occurrence already started a run (re-entry off, an
 * event dispatched twice, the same disposition chosen again).
 */
export async function startRun(tx: Queryable, boss: PgBoss, plan: WorkflowPlan, run: NewRun, nowMs: number): Promise<string | null> {
  const id = newId('run');
  const first = plan.first();
  const now = new Date(nowMs).toISOString();
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO workflow_runs (id, account_id, workflow_id, version, contact_id, status, trigger, event_id, dedupe_key, context, stop_on_response, started_at, finished_at, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14)
     ON CONFLICT (workflow_id, dedupe_key) DO NOTHING RETURNING id`,
    [
      id, run.accountId, run.workflowId, run.version, run.contactId, first ? 'running' : 'completed', run.trigger, run.eventId, run.dedupeKey,
      JSON.stringify(run.context), run.stopOnResponse, now, first ? null : now, first ? null : 'The workflow has no steps',
    ],
  );
  if (inserted.length === 0) return null;
  if (first) await insertStep(tx, boss, { runId: id, accountId: run.accountId, workflowId: run.workflowId, version: run.version, contactId: run.contactId }, plan, first, nowMs);
  return id;
}

/** A step inserted already claimed by the worker that inserted it (it runs it at once, inline). */
export interface InlineClaim {
  worker: string;
  leaseUntilMs: number;
}

/**
 * Inserts a step of a run and its job (in the caller's transaction). Normally the step is `pending`
 * and its job is due now. With `inline`, the step is inserted `running` under the caller's lease —
 * the caller runs it right after commit, without a pg-boss round trip — and its job is a backstop
 * due when the lease lapses (a worker that dies mid-step is replaced then, exactly as when pg-boss
 * re-delivers an expired job). Returns the step row and the job's id; null when the step already
 * existed (nothing inserted, no job).
 */
export async function insertStep(
  tx: Queryable,
  boss: PgBoss,
  run: { runId: string; accountId: string; workflowId: string; version: number; contactId: string | null },
  plan: WorkflowPlan,
  stepId: string,
  nowMs: number,
  inline?: InlineClaim,
): Promise<{ step: StepRow; jobId: string | null } | null> {
  const step = plan.step(stepId)!;
  const now = new Date(nowMs).toISOString();
  const leaseUntil = inline ? new Date(inline.leaseUntilMs).toISOString() : null;
  const rows = await tx.query<StepRow>(
    `INSERT INTO run_steps (run_id, step_key, account_id, workflow_id, version, contact_id, step_id, name, type, status, input, created_at,
                            attempts, lease_until, started_at, claimed_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16) ON CONFLICT (run_id, step_key) DO NOTHING
     RETURNING ${STEP_COLUMNS}`,
    [
      run.runId, stepId, run.accountId, run.workflowId, run.version, run.contactId, stepId, step.name, step.type, inline ? 'running' : 'pending',
      JSON.stringify(step.type === 'if_else' ? { branches: step.branches.map((b) => ({ name: b.name, conditions: b.conditions })) } : step.config),
      now, inline ? 1 : 0, leaseUntil, inline ? now : null, inline?.worker ?? null,
    ],
  );
  if (!rows[0]) return null;
  const jobId = await sendStepJob(boss, tx, { runId: run.runId, stepKey: stepId }, nowMs, leaseUntil ? new Date(inline!.leaseUntilMs + 1000).toISOString() : undefined);
  return { step: rows[0], jobId };
}

/** Ends a run that is still active; its open steps are logged as removed with the same reason. */
export async function endRun(tx: Queryable, runId: string, status: 'completed' | 'stopped' | 'failed', reason: string | null, nowMs: number): Promise<boolean> {
  const now = new Date(nowMs).toISOString();
  const rows = await tx.query(
    `UPDATE workflow_runs SET status = $2, reason = $3, finished_at = $4 WHERE id = $1 AND status IN ('running', 'waiting') RETURNING id`,
    [runId, status, reason, now],
  );
  if (rows.length === 0) return false;
  if (status !== 'completed') {
    await tx.query(
      `UPDATE run_steps SET status = 'removed', reason = $2, finished_at = $3, lease_until = NULL, wake = NULL
        WHERE run_id = $1 AND status IN ('pending', 'waiting')`,
      [runId, reason, now],
    );
  }
  return true;
}
