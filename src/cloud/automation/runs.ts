import { z } from 'zod';
import { METRIC_RECIPIENTS_PAGE_SIZE, runStatusSchema, stepStatusSchema, type MetricRecipients, type RunStep, type WorkflowRun, type WorkflowStatistics } from '../../shared/cloud/workflows';
import type { CloudContext, Principal } from '../context';
import { int, intOrNull, text, textOrNull, type Row } from '../db/columns';
import type { UnitOfWork } from '../db/unit-of-work';
import { notFound } from '../errors';
import { displayAddress } from '../sending-domains/rows';
import { endRun } from './engine/store';
import { getWorkflow } from './workflows';

/** Runs, the execution log (one row per step per run) and statistics — reads for the API. */
const RUN_COLUMNS = `r.id, r.workflow_id, r.version, r.contact_id, r.status, r.trigger, r.reason, r.started_at, r.finished_at`;
const toRun = (r: Row): WorkflowRun => ({
  id: text(r.id),
  workflowId: text(r.workflow_id),
  version: int(r.version),
  contactId: textOrNull(r.contact_id),
  status: text(r.status) as WorkflowRun['status'],
  trigger: text(r.trigger),
  reason: textOrNull(r.reason),
  startedAt: text(r.started_at),
  finishedAt: textOrNull(r.finished_at),
});
const STEP_COLUMNS = `s.run_id, s.workflow_id, s.version, s.contact_id, s.step_key, s.step_id, s.name, s.type, s.status, s.attempts, s.input, s.output,
  s.reason, s.blank_fields, s.created_at, s.started_at, s.finished_at, s.wait_until, s.duration_ms, s.seq`;
const toStep = (r: Row): RunStep => ({
  runId: text(r.run_id),
  workflowId: text(r.workflow_id),
  version: int(r.version),
  contactId: textOrNull(r.contact_id),
  stepKey: text(r.step_key),
  stepId: text(r.step_id),
  name: text(r.name),
  type: text(r.type),
  status: text(r.status) as RunStep['status'],
  attempts: int(r.attempts),
  input: r.input ?? null,
  output: r.output ?? null,
  reason: textOrNull(r.reason),
  blankFields: Array.isArray(r.blank_fields) ? r.blank_fields.map(String) : [],
  createdAt: text(r.created_at),
  startedAt: textOrNull(r.started_at),
  finishedAt: textOrNull(r.finished_at),
  waitUntil: textOrNull(r.wait_until),
  durationMs: intOrNull(r.duration_ms),
  seq: String(r.seq),
});

export const listRunsQuery = z.object({
  status: runStatusSchema.optional(),
  contactId: z.string().min(1).max(64).optional(),
  /** Runs started before this one (the last id of the previous page). */
  before: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export async function listRuns(ctx: CloudContext, principal: Principal, workflowId: string, query: z.infer<typeof listRunsQuery>): Promise<WorkflowRun[]> {
  await getWorkflow(ctx.db, principal.accountId, workflowId);
  const params: unknown[] = [workflowId, query.limit];
  const where = ['r.workflow_id = $1'];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.status) add('r.status = ?', query.status);
  if (query.contactId) add('r.contact_id = ?', query.contactId);
  if (query.before) add('(r.started_at, r.id) < (SELECT started_at, id FROM workflow_runs WHERE id = ?)', query.before);
  const rows = await ctx.db.query(`SELECT ${RUN_COLUMNS} FROM workflow_runs r WHERE ${where.join(' AND ')} ORDER BY r.started_at DESC, r.id DESC LIMIT $2`, params);
  return rows.map(toRun);
}

export async function getRun(ctx: CloudContext, principal: Principal, workflowId: string, runId: string): Promise<WorkflowRun & { steps: RunStep[] }> {
  const rows = await ctx.db.query(`SELECT ${RUN_COLUMNS} FROM workflow_runs r WHERE r.id = $1 AND r.workflow_id = $2 AND r.account_id = $3`, [
    runId, workflowId, principal.accountId,
  ]);
  if (!rows[0]) throw notFound('Run');
  const steps = await ctx.db.query(`SELECT ${STEP_COLUMNS} FROM run_steps s WHERE s.run_id = $1 ORDER BY s.created_at, s.seq`, [runId]);
  return { ...toRun(rows[0]), steps: steps.map(toStep) };
}

/** An admin takes a contact out of a workflow: the run stops, its open step is logged as removed. */
export async function stopRun(uow: UnitOfWork, principal: Principal, workflowId: string, runId: string): Promise<void> {
  const rows = await uow.q.query(`SELECT 1 FROM workflow_runs WHERE id = $1 AND workflow_id = $2 AND account_id = $3 FOR NO KEY UPDATE`, [runId, workflowId, uow.accountId]);
  if (rows.length === 0) throw notFound('Run');
  const user = await uow.q.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [principal.userId]);
  await endRun(uow.q, runId, 'stopped', `Removed from the workflow by ${user[0]?.name ?? 'an admin'}`, Date.now());
  await uow.audit(principal.userId, 'workflow.run.stop', 'workflow_run', runId, { workflowId });
}

export const logQuery = z.object({
  workflowId: z.string().min(1).max(64).optional(),
  contactId: z.string().min(1).max(64).optional(),
  status: stepStatusSchema.optional(),
  stepId: z.string().min(1).max(64).optional(),
  /** The step's action type (`send_email`, `if_else`…). */
  type: z.string().min(1).max(40).regex(/^[a-z_]+$/).optional(),
  /** Entries created at or after this time (the start of a date range). */
  since: z.string().datetime({ offset: true }).optional(),
  /** Entries created before this time (the last `createdAt` of the previous page). */
  before: z.string().datetime({ offset: true }).optional(),
  /** Paging: entries older than this one (its `seq`), in the log's own order — entries written in the same instant are neither lost nor repeated. */
  olderThan: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The execution log, newest first, searchable by workflow, contact, status, step, action type and time range. */
export async function searchLog(ctx: CloudContext, principal: Principal, query: z.infer<typeof logQuery>): Promise<RunStep[]> {
  const params: unknown[] = [principal.accountId, query.limit];
  const where = ['s.account_id = $1'];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.workflowId) add('s.workflow_id = ?', query.workflowId);
  if (query.contactId) add('s.contact_id = ?', query.contactId);
  if (query.status) add('s.status = ?', query.status);
  if (query.stepId) add('s.step_id = ?', query.stepId);
  if (query.type) add('s.type = ?', query.type);
  if (query.since) add('s.created_at >= ?', query.since);
  if (query.before) add('s.created_at < ?', query.before);
  // The cursor row is looked up in the caller's practice only: another practice's seq matches nothing.
  if (query.olderThan) add('(s.created_at, s.seq) < (SELECT c.created_at, c.seq FROM run_steps c WHERE c.seq = ?::bigint AND c.account_id = $1)', query.olderThan);
  const rows = await ctx.db.query(`SELECT ${STEP_COLUMNS} FROM run_steps s WHERE ${where.join(' AND ')} ORDER BY s.created_at DESC, s.seq DESC LIMIT $2`, params);
  return rows.map(toStep);
}

/** Runs by status, and per step of the current draft and every published version: log rows by status and action metrics. */
export async function statistics(ctx: CloudContext, principal: Principal, workflowId: string): Promise<WorkflowStatistics> {
  const workflow = await getWorkflow(ctx.db, principal.accountId, workflowId);
  const runs = await ctx.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM workflow_runs WHERE workflow_id = $1 GROUP BY status`, [workflowId]);
  const byStatus = Object.fromEntries(runs.map((r) => [r.status, Number(r.n)]));
  const steps = await ctx.db.query<{ step_id: string; name: string; type: string; status: string; n: number }>(
    `SELECT step_id, max(name) AS name, max(type) AS type, status, count(*)::int AS n FROM run_steps WHERE workflow_id = $1 GROUP BY step_id, status`,
    [workflowId],
  );
  const metrics = await ctx.db.query<{ step_id: string; metric: string; n: number }>(
    `SELECT step_id, metric, count(DISTINCT run_id)::int AS n FROM step_metrics WHERE workflow_id = $1 GROUP BY step_id, metric`,
    [workflowId],
  );
  const perStep = new Map<string, WorkflowStatistics['steps'][number]>();
  for (const row of steps) {
    const entry = perStep.get(row.step_id) ?? { stepId: row.step_id, name: row.name, type: row.type, counts: {}, metrics: {} };
    entry.counts[row.status] = Number(row.n);
    perStep.set(row.step_id, entry);
  }
  for (const row of metrics) {
    const entry = perStep.get(row.step_id) ?? { stepId: row.step_id, name: row.step_id, type: '', counts: {}, metrics: {} };
    entry.metrics[row.metric] = Number(row.n);
    perStep.set(row.step_id, entry);
  }
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return {
    workflowId: workflow.id,
    runs: {
      total, running: byStatus.running ?? 0, waiting: byStatus.waiting ?? 0, completed: byStatus.completed ?? 0,
      stopped: byStatus.stopped ?? 0, failed: byStatus.failed ?? 0,
    },
    steps: [...perStep.values()],
  };
}

export const metricRecipientsQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(METRIC_RECIPIENTS_PAGE_SIZE).default(METRIC_RECIPIENTS_PAGE_SIZE),
});

/**
 * The recipient details of one statistic of one step (the article: "…counts, each with recipient
 * details"): each recorded subject — the address, number, team member or channel the action sent
 * to — with the run's contact, newest first. Scoped twice to the caller's practice: the workflow,
 * and the runs the statistics belong to.
 */
export async function metricRecipients(
  ctx: CloudContext,
  principal: Principal,
  workflowId: string,
  stepId: string,
  metric: string,
  query: z.infer<typeof metricRecipientsQuery>,
): Promise<MetricRecipients> {
  await getWorkflow(ctx.db, principal.accountId, workflowId);
  const ofThisPractice = `step_metrics m JOIN workflow_runs r ON r.id = m.run_id AND r.account_id = $1`;
  const ofThisMetric = `m.workflow_id = $2 AND m.step_id = $3 AND m.metric = $4`;
  const params = [principal.accountId, workflowId, stepId, metric];
  const counted = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ofThisPractice} WHERE ${ofThisMetric}`, params);
  // Internal notifications record the team member's id: shown by name.
  const rows = await ctx.db.query<{ subject: string; run_id: string; at: string; contact_id: string | null; contact_name: string | null; user_name: string | null }>(
    `SELECT m.subject, m.run_id, m.at, r.contact_id, c.name AS contact_name, u.name AS user_name
     FROM ${ofThisPractice}
     LEFT JOIN contacts c ON c.id = r.contact_id AND c.account_id = $1
     LEFT JOIN users u ON u.id = m.subject AND u.account_id = $1
     WHERE ${ofThisMetric}
     ORDER BY m.at DESC, m.run_id, m.subject LIMIT $5 OFFSET $6`,
    [...params, query.limit, query.offset],
  );
  return {
    total: Number(counted[0]?.n ?? 0),
    recipients: rows.map((r) => ({
      // Addresses are recorded in their canonical (xn--) form and shown as people read them.
      recipient: r.user_name ?? (r.subject ? displayAddress(r.subject) : r.contact_name || 'No recipient recorded'),
      runId: r.run_id,
      contactId: r.contact_id,
      contactName: r.contact_name,
      at: new Date(r.at).toISOString(),
    })),
  };
}
