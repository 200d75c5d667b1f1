import { deleteWorkflowSchema, dryRunReportSchema, dryRunRequestSchema, workflowSummarySchema, type WorkflowSummary } from '../../shared/cloud/workflow-builder';
import { z } from 'zod';
import type { CloudContext, Principal } from '../context';
import { int, text } from '../db/columns';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { dryRun } from './dry-run';
import { endRun } from './engine/store';
import { getWorkflow } from './workflows';

/**
 * The workflow builder's routes (issue [workflow-builder]): the Automation tab's figures, delete
 * with the admin's choice for runs in progress, and the dry run before publishing.
 */
export const builderRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'automation';
  router.add({
    method: 'GET', url: '/v1/workflow-summaries', tag, access: 'admin', summary: 'Per workflow: runs in the last 7 days, step errors in the last 7 days, runs in progress',
    response: z.array(workflowSummarySchema),
    handler: ({ principal }) => summaries(ctx, principal),
  });
  router.add({
    method: 'POST', url: '/v1/workflows/:id/delete', tag, access: 'admin',
    summary: 'Delete a workflow; runs in progress finish on their version (no new runs start) or are cancelled now',
    params: idParams, body: deleteWorkflowSchema, response: z.object({ deleted: z.literal(true), cancelledRuns: z.number().int(), finishingRuns: z.number().int() }),
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => deleteWithChoice(uow, principal, params.id, body.inProgress)),
  });
  router.add({
    method: 'POST', url: '/v1/workflows/:id/dry-run', tag, access: 'admin',
    summary: 'Replay the trigger over the last 30 days of real events with the draft (or the given document): entries, steps reached, blank merge fields, failures, dead references',
    params: idParams, body: dryRunRequestSchema, response: dryRunReportSchema,
    handler: async ({ principal, params, body }) => {
      const workflow = await getWorkflow(ctx.db, principal.accountId, params.id);
      return dryRun(ctx.db, principal.accountId, workflow.id, body.draft ?? workflow.draft, Date.now());
    },
  });
};

async function summaries(ctx: CloudContext, principal: Principal): Promise<WorkflowSummary[]> {
  const rows = await ctx.db.query(
    `SELECT w.id,
            (SELECT count(*) FROM workflow_runs r WHERE r.workflow_id = w.id AND r.account_id = w.account_id AND r.started_at > now() - interval '7 days') AS runs7d,
            (SELECT count(*) FROM run_steps s WHERE s.workflow_id = w.id AND s.account_id = w.account_id AND s.status = 'error' AND s.created_at > now() - interval '7 days') AS errors7d,
            (SELECT count(*) FROM workflow_runs r WHERE r.workflow_id = w.id AND r.account_id = w.account_id AND r.status IN ('running', 'waiting')) AS active
       FROM workflows w WHERE w.account_id = $1 AND w.deleted_at IS NULL ORDER BY w.created_at, w.id`,
    [principal.accountId],
  );
  return rows.map((r) => ({ workflowId: text(r.id), runs7d: int(r.runs7d), errors7d: int(r.errors7d), activeRuns: int(r.active) }));
}

/**
 * "finish": the workflow disappears and starts nothing new, but its runs go on on the version they
 * started on (the runner reads the version, never the deleted draft). "cancel": they stop now,
 * their open step logged as removed.
 */
async function deleteWithChoice(uow: UnitOfWork, principal: Principal, id: string, inProgress: 'finish' | 'cancel') {
  await getWorkflow(uow.q, uow.accountId, id, true);
  await uow.q.query(`UPDATE workflows SET deleted_at = now(), status = 'paused', updated_at = now() WHERE id = $1 AND account_id = $2`, [id, uow.accountId]);
  const runs = await uow.q.query<{ id: string }>(
    `SELECT id FROM workflow_runs WHERE workflow_id = $1 AND account_id = $2 AND status IN ('running', 'waiting') ORDER BY id FOR NO KEY UPDATE`,
    [id, uow.accountId],
  );
  if (inProgress === 'cancel') for (const run of runs) await endRun(uow.q, run.id, 'stopped', 'The workflow was deleted (runs in progress cancelled)', Date.now());
  await uow.audit(principal.userId, 'workflow.delete', 'workflow', id, { inProgress, runs: runs.length });
  return { deleted: true as const, cancelledRuns: inProgress === 'cancel' ? runs.length : 0, finishingRuns: inProgress === 'finish' ? runs.length : 0 };
}
