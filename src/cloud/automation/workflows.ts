import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  publishProblems,
  workflowDocumentSchema,
  type Workflow,
  type WorkflowDocument,
  type WorkflowVersion,
} from '../../shared/cloud/workflows';
import { canonicalFromEmails } from '../../shared/cloud/sending-domains';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import { int, intOrNull, text, textOrNull, type Row } from '../db/columns';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { insertDomainEvent } from '../events/domain-events';
import { newId } from '../ids';
import { lockTemplateSync, syncedEmailSteps, writeSyncedStepsToTemplates } from '../templates/sync';
import { endRun } from './engine/store';
import { checkDocument } from './references';

/** Workflows: drafts an admin edits, frozen versions on publish, pause, delete, manual enrolment. */
const WORKFLOW_COLUMNS = `w.id, w.account_id, w.name, w.status, w.draft, w.published_version, w.webhook_secret_hash, w.created_at, w.updated_at`;
const toWorkflow = (r: Row): Workflow => ({
  id: text(r.id),
  accountId: text(r.account_id),
  name: text(r.name),
  status: text(r.status) as Workflow['status'],
  draft: workflowDocumentSchema.parse(r.draft),
  publishedVersion: intOrNull(r.published_version),
  hasWebhookSecret: r.webhook_secret_hash !== null && r.webhook_secret_hash !== undefined,
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
});
const toVersion = (r: Row): WorkflowVersion => ({
  workflowId: text(r.workflow_id),
  version: int(r.version),
  document: workflowDocumentSchema.parse(r.document),
  publishedAt: text(r.published_at),
  publishedBy: textOrNull(r.published_by),
});

const emptyDocument = (): WorkflowDocument => workflowDocumentSchema.parse({});

/** Stored with each From Email in one form (`desk@bücher.de` → `desk@xn--bcher-kva.de`): what sending compares. */
const canonical = (doc: WorkflowDocument): WorkflowDocument => ({ ...doc, steps: canonicalFromEmails(doc.steps) });

export async function listWorkflows(ctx: CloudContext, principal: Principal): Promise<Workflow[]> {
  const rows = await ctx.db.query(`SELECT ${WORKFLOW_COLUMNS} FROM workflows w WHERE w.account_id = $1 AND w.deleted_at IS NULL ORDER BY w.created_at, w.id`, [principal.accountId]);
  return rows.map(toWorkflow);
}

export async function getWorkflow(q: Queryable, accountId: string, id: string, lock = false): Promise<Workflow> {
  const rows = await q.query(`SELECT ${WORKFLOW_COLUMNS} FROM workflows w WHERE w.id = $1 AND w.account_id = $2 AND w.deleted_at IS NULL ${lock ? 'FOR NO KEY UPDATE' : ''}`, [id, accountId]);
  if (!rows[0]) throw notFound('Workflow');
  return toWorkflow(rows[0]);
}

export async function createWorkflow(uow: UnitOfWork, principal: Principal, input: { name: string; draft?: WorkflowDocument }): Promise<Workflow> {
  const draft = canonical(input.draft ?? emptyDocument());
  const syncs = syncedEmailSteps(draft.steps).length > 0;
  if (syncs) await lockTemplateSync(uow);
  await checkDocument(uow.q, uow.accountId, draft);
  const id = newId('wf');
  await uow.q.query(`INSERT INTO workflows (id, account_id, name, draft, created_by) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
    id, uow.accountId, input.name, JSON.stringify(draft), principal.userId,
  ]);
  await uow.audit(principal.userId, 'workflow.create', 'workflow', id, { name: input.name });
  if (syncs) await writeSyncedStepsToTemplates(uow, principal, draft.steps);
  return getWorkflow(uow.q, uow.accountId, id);
}

/**
 * Edits the draft (and name). Published versions and the runs on them are untouched. Send Email
 * steps with Sync Edits to Template on write their text into their templates in the same
 * transaction (`templateVersions`: the versions the editor started from; a newer one → CONFLICT),
 * and the other drafts synced with those templates follow (templates/sync.ts).
 */
export async function updateWorkflow(
  uow: UnitOfWork,
  principal: Principal,
  id: string,
  edit: { name?: string; draft?: WorkflowDocument; templateVersions?: Record<string, number> },
): Promise<Workflow> {
  const input = edit.draft ? { ...edit, draft: canonical(edit.draft) } : edit;
  const syncs = input.draft !== undefined && syncedEmailSteps(input.draft.steps).length > 0;
  // Before the workflow's row: the order every template sync takes its locks in.
  if (syncs) await lockTemplateSync(uow);
  await getWorkflow(uow.q, uow.accountId, id, true);
  if (input.draft) await checkDocument(uow.q, uow.accountId, input.draft);
  await uow.q.query(
    `UPDATE workflows SET name = coalesce($2, name), draft = coalesce($3::jsonb, draft), updated_at = now() WHERE id = $1`,
    [id, input.name ?? null, input.draft ? JSON.stringify(input.draft) : null],
  );
  await uow.audit(principal.userId, 'workflow.update', 'workflow', id, { fields: Object.keys(input).filter((k) => k !== 'templateVersions') });
  if (syncs) await writeSyncedStepsToTemplates(uow, principal, input.draft!.steps, input.templateVersions);
  return getWorkflow(uow.q, uow.accountId, id);
}

/**
 * Freezes the draft as the next version and starts new runs on it. Refused without a trigger and
 * an action (the seed's rule). Runs already going stay on the version they started on.
 */
export async function publishWorkflow(uow: UnitOfWork, principal: Principal, id: string): Promise<Workflow> {
  const workflow = await getWorkflow(uow.q, uow.accountId, id, true);
  const problems = publishProblems(workflow.draft);
  if (problems.length > 0) {
    throw new ApiError('VALIDATION_FAILED', problems.join(' '), { errors: problems.map((message) => ({ path: 'draft', message })) });
  }
  await checkDocument(uow.q, uow.accountId, workflow.draft);
  const version = (workflow.publishedVersion ?? 0) + 1;
  await uow.q.query(`INSERT INTO workflow_versions (workflow_id, version, document, published_by) VALUES ($1, $2, $3::jsonb, $4)`, [
    id, version, JSON.stringify(workflow.draft), principal.userId,
  ]);
  await uow.q.query(`UPDATE workflows SET status = 'published', published_version = $2, trigger_type = $3, updated_at = now() WHERE id = $1`, [
    id, version, workflow.draft.trigger!.type,
  ]);
  await uow.audit(principal.userId, 'workflow.publish', 'workflow', id, { version });
  return getWorkflow(uow.q, uow.accountId, id);
}

/** No new runs while paused; runs already going continue (publish again to resume). */
export async function pauseWorkflow(uow: UnitOfWork, principal: Principal, id: string): Promise<Workflow> {
  const workflow = await getWorkflow(uow.q, uow.accountId, id, true);
  if (workflow.status !== 'published') throw new ApiError('CONFLICT', 'Only a published workflow can be paused');
  await uow.q.query(`UPDATE workflows SET status = 'paused', updated_at = now() WHERE id = $1`, [id]);
  await uow.audit(principal.userId, 'workflow.pause', 'workflow', id, {});
  return getWorkflow(uow.q, uow.accountId, id);
}

/** Soft delete; its active runs stop (logged as removed), its log stays until retention purges it. */
export async function deleteWorkflow(uow: UnitOfWork, principal: Principal, id: string): Promise<void> {
  await getWorkflow(uow.q, uow.accountId, id, true);
  await uow.q.query(`UPDATE workflows SET deleted_at = now(), status = 'paused', updated_at = now() WHERE id = $1`, [id]);
  const runs = await uow.q.query<{ id: string }>(`SELECT id FROM workflow_runs WHERE workflow_id = $1 AND status IN ('running', 'waiting') ORDER BY id FOR NO KEY UPDATE`, [id]);
  for (const run of runs) await endRun(uow.q, run.id, 'stopped', 'The workflow was deleted', Date.now());
  await uow.audit(principal.userId, 'workflow.delete', 'workflow', id, { stoppedRuns: runs.length });
}

export async function listVersions(ctx: CloudContext, principal: Principal, id: string): Promise<WorkflowVersion[]> {
  await getWorkflow(ctx.db, principal.accountId, id);
  const rows = await ctx.db.query(`SELECT workflow_id, version, document, published_at, published_by FROM workflow_versions WHERE workflow_id = $1 ORDER BY version DESC`, [id]);
  return rows.map(toVersion);
}

export async function getVersion(ctx: CloudContext, principal: Principal, id: string, version: number): Promise<WorkflowVersion> {
  await getWorkflow(ctx.db, principal.accountId, id);
  const rows = await ctx.db.query(`SELECT workflow_id, version, document, published_at, published_by FROM workflow_versions WHERE workflow_id = $1 AND version = $2`, [id, version]);
  if (!rows[0]) throw notFound('Version');
  return toVersion(rows[0]);
}

/**
 * Puts a contact into a published workflow (the API's manual enrolment; the AI agent's Trigger
 * Workflow action). Call it in the transaction of the change that asks for it: it records a domain
 * event, and the engine starts the run (unless re-entry is off and the contact was already in).
 */
export async function enrolContact(
  tx: Queryable | { q: Queryable },
  input: { accountId: string; workflowId: string; contactId: string; customValues?: Record<string, unknown>; actorUserId?: string | null },
): Promise<{ eventId: number }> {
  const q = 'q' in tx ? tx.q : tx;
  const workflow = await getWorkflow(q, input.accountId, input.workflowId);
  if (workflow.status !== 'published') throw new ApiError('CONFLICT', workflow.status === 'paused' ? 'The workflow is paused' : 'The workflow is not published yet');
  const contacts = await q.query(`SELECT 1 FROM contacts WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [input.contactId, input.accountId]);
  if (contacts.length === 0) throw notFound('Contact');
  const eventId = await insertDomainEvent(q, {
    accountId: input.accountId, type: 'workflow.manual_enrolment', contactId: input.contactId, actorUserId: input.actorUserId ?? null,
    payload: { workflowId: input.workflowId, customValues: input.customValues ?? {} },
  });
  return { eventId };
}

// ── Inbound webhook secrets ───────────────────────────────────────────────────────────────────

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Issues (or replaces) the workflow's inbound webhook secret; shown once, stored as a hash. */
export async function issueWebhookSecret(uow: UnitOfWork, principal: Principal, id: string): Promise<string> {
  await getWorkflow(uow.q, uow.accountId, id, true);
  const secret = randomBytes(24).toString('base64url');
  await uow.q.query(`UPDATE workflows SET webhook_secret_hash = $2, updated_at = now() WHERE id = $1`, [id, hashSecret(secret)]);
  await uow.audit(principal.userId, 'workflow.webhook_secret', 'workflow', id, {});
  return secret;
}

/** The workflow an inbound webhook URL names, if its secret is right (constant-time check). */
export async function workflowForWebhook(q: Queryable, id: string, secret: string): Promise<{ accountId: string; status: string } | null> {
  const rows = await q.query<{ account_id: string; webhook_secret_hash: string | null; status: string }>(
    `SELECT account_id, webhook_secret_hash, status FROM workflows WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  const row = rows[0];
  const expected = Buffer.from(row?.webhook_secret_hash ?? '0'.repeat(64), 'hex');
  const given = Buffer.from(hashSecret(secret), 'hex');
  const ok = timingSafeEqual(expected, given);
  return row && row.webhook_secret_hash && ok ? { accountId: row.account_id, status: row.status } : null;
}
