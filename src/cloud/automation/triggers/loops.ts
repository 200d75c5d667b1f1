import type { Queryable } from '../../db';
import { newId } from '../../ids';
import type { DomainEvent } from '../../events/domain-events';
import type { PublishedWorkflow, Enrolment } from './enrol';

/**
 * Workflow loops. A run's context carries `chain`: the workflows whose runs set it off, oldest
 * first (A's Add Tag starts B, B's starts C: C's chain is [A, B]). A workflow already in the chain
 * of the event that would start it is a loop (A → A, or A → B → A): it is not started again, and the
 * refusal is a run in the execution log, stopped with the chain in plain words. Every chain is then
 * at most as long as the practice has workflows, so no loop runs forever.
 */
export interface Cause {
  /** Workflow ids, oldest first, ending with the workflow whose run recorded the event. */
  chain: string[];
}

/** What set this event off: nothing (a person, a call, a webhook) or a run, with that run's own chain. */
export async function causeOf(tx: Queryable, event: DomainEvent): Promise<Cause | null> {
  if (!event.runId) return null;
  const rows = await tx.query<{ workflow_id: string; chain: unknown }>(
    `SELECT workflow_id, context->'chain' AS chain FROM workflow_runs WHERE id = $1 AND account_id = $2`,
    [event.runId, event.accountId],
  );
  const row = rows[0];
  if (!row) return null;
  const before = Array.isArray(row.chain) ? row.chain.filter((id): id is string => typeof id === 'string') : [];
  return { chain: [...before, row.workflow_id] };
}

export const isLoop = (cause: Cause | null, workflowId: string): boolean => cause?.chain.includes(workflowId) ?? false;

/** Logs the refused start as a stopped run (it holds no dedupe slot a later, real enrolment needs). */
export async function recordLoop(tx: Queryable, workflow: PublishedWorkflow, e: Enrolment, cause: Cause, nowMs: number): Promise<void> {
  const names = await tx.query<{ id: string; name: string }>(`SELECT id, name FROM workflows WHERE id = ANY($1::text[])`, [cause.chain]);
  const name = (id: string): string => `“${names.find((n) => n.id === id)?.name ?? id}”`;
  const path = [...cause.chain, workflow.id].map(name).join(' → ');
  const reason =
    cause.chain.length === 1
      ? `Not started: its own run set it off again (${path}) — a workflow loop, stopped here`
      : `Not started: a workflow loop (${path}) — this workflow set off a chain that came back to it; stopped here`;
  const now = new Date(nowMs).toISOString();
  await tx.query(
    `INSERT INTO workflow_runs (id, account_id, workflow_id, version, contact_id, status, trigger, event_id, dedupe_key, context, stop_on_response, started_at, finished_at, reason)
     VALUES ($1, $2, $3, $4, $5, 'stopped', $6, $7, $8, $9::jsonb, false, $10, $10, $11)
     ON CONFLICT (workflow_id, dedupe_key) DO NOTHING`,
    [
      newId('run'), e.accountId, workflow.id, workflow.version, e.contactId, e.trigger, e.eventId, `loop:${e.occurrenceKey}`,
      JSON.stringify({ ...e.context, chain: cause.chain }), now, reason,
    ],
  );
}
