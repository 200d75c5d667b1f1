import type { MessageTemplate } from '../../shared/cloud/templates';
import { walkSteps, type Step } from '../../shared/cloud/workflows';
import type { Principal } from '../context';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { findTemplate, updateTemplate } from './service';

/**
 * "Sync Edits to Template" (Send Email): with sync ON, the step and its template are one text.
 * Saving a workflow draft writes each synced step's subject and body into its template (refused
 * when the template moved on since the editor read it); an edited template — in Settings →
 * Templates, or through another workflow's synced step — rewrites the synced steps of every
 * workflow's draft, in the same transaction.
 *
 * Published versions are not rewritten: a version is frozen when published and a run sends the
 * text of the version it is on. A template edit reaches live sends when each workflow that syncs
 * with it is published again — like every other edit to a draft, after its dry run.
 */

interface SyncedStep {
  id: string;
  name: string;
  templateId: string;
  subject: string;
  body: string;
}

/** The Send Email steps of a tree with a template and Sync Edits to Template on. */
export function syncedEmailSteps(steps: readonly Step[]): SyncedStep[] {
  const found: SyncedStep[] = [];
  walkSteps(steps, (step) => {
    if (step.type !== 'send_email' || !step.config.syncTemplateEdits || !step.config.templateId) return;
    found.push({ id: step.id, name: step.name, templateId: step.config.templateId, subject: step.config.subject, body: step.config.body });
  });
  return found;
}

/**
 * Serialises one practice's template syncs. A draft save locks its workflow, then the template,
 * then the other workflows that sync with it; a template edit locks the template, then those
 * workflows: without this, two of them could each hold what the other waits for.
 */
export async function lockTemplateSync(uow: UnitOfWork): Promise<void> {
  await uow.q.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`template-sync:${uow.accountId}`]);
}

/**
 * Writes the synced steps of a draft being saved into their templates. `expectedVersions` names,
 * per template, the version the editor's text started from: a newer template there is a CONFLICT
 * (nothing is overwritten). A template that is gone (deleted, another practice's) or not an email
 * template is left alone: the step keeps its own copy. Call it after `lockTemplateSync`.
 */
export async function writeSyncedStepsToTemplates(
  uow: UnitOfWork,
  principal: Principal,
  steps: readonly Step[],
  expectedVersions: Readonly<Record<string, number>> = {},
): Promise<void> {
  const byTemplate = new Map<string, SyncedStep[]>();
  for (const step of syncedEmailSteps(steps)) byTemplate.set(step.templateId, [...(byTemplate.get(step.templateId) ?? []), step]);
  for (const templateId of [...byTemplate.keys()].sort()) {
    const template = await findTemplate(uow.q, uow.accountId, templateId, { lock: true });
    if (!template || template.channel !== 'email') continue;
    const edited = distinctTexts(byTemplate.get(templateId)!.filter((s) => s.subject !== template.subject || s.body !== template.body));
    const edit = edited[0];
    if (!edit) continue;
    const at = (s: SyncedStep) => `draft.steps[${s.id}].config.body`;
    if (edited[1]) {
      const message = `"${edit.name}" and "${edited[1].name}" both keep the template "${template.name}" in sync but have different text: make them the same, or turn off Sync Edits to Template on one of them.`;
      throw new ApiError('VALIDATION_FAILED', message, { errors: edited.map((s) => ({ path: at(s), message })) });
    }
    const expected = expectedVersions[templateId];
    if (expected !== undefined && expected !== template.version) {
      const message =
        `The template "${template.name}" was changed after this workflow was opened, so the edit to "${edit.name}" could not be saved into it. ` +
        'Reopen the workflow to get the template’s new text and make your edit again, or turn off Sync Edits to Template on that step to keep your text as its own copy.';
      throw new ApiError('CONFLICT', message, { errors: [{ path: at(edit), message }] });
    }
    if (edit.body.trim() === '') {
      const message = `"${edit.name}" keeps the template "${template.name}" in sync, so its Message cannot be empty: write the message, or turn off Sync Edits to Template.`;
      throw new ApiError('VALIDATION_FAILED', message, { errors: [{ path: at(edit), message }] });
    }
    await updateTemplate(uow, principal, templateId, { subject: edit.subject, body: edit.body, expectedVersion: template.version }, (tx, saved) => rewriteSyncedSteps(tx, principal, saved));
  }
}

/** One step per different text (the first step that has it). */
function distinctTexts(steps: SyncedStep[]): SyncedStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = JSON.stringify([s.subject, s.body]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A stored step as JSON: only what the walk needs, so a rewrite keeps everything else as it is. */
type RawStep = { type?: unknown; config?: Record<string, unknown>; branches?: Array<{ steps?: unknown }>; elseSteps?: unknown };

/** Gives the synced Send Email steps of a stored tree (changed in place) the template's text; the ids of those it changed. */
function rewriteRawSteps(steps: unknown, template: MessageTemplate, changed: string[] = []): string[] {
  if (!Array.isArray(steps)) return changed;
  for (const step of steps as RawStep[]) {
    const config = step.config;
    if (step.type === 'send_email' && config && config.templateId === template.id && config.syncTemplateEdits === true) {
      if (config.subject !== template.subject || config.body !== template.body) {
        config.subject = template.subject;
        config.body = template.body;
        changed.push(String((step as { id?: unknown }).id));
      }
    }
    if (step.type === 'if_else') {
      for (const branch of step.branches ?? []) rewriteRawSteps(branch.steps, template, changed);
      rewriteRawSteps(step.elseSteps, template, changed);
    }
  }
  return changed;
}

/**
 * The template was edited: every live workflow's draft whose Send Email steps sync with it takes
 * its subject and body (the `afterEdit` of updateTemplate). Published versions stay as published.
 */
export async function rewriteSyncedSteps(uow: UnitOfWork, principal: Principal, template: MessageTemplate): Promise<void> {
  const rows = await uow.q.query<{ id: string; draft: unknown }>(
    `SELECT id, draft FROM workflows WHERE account_id = $1 AND deleted_at IS NULL AND strpos(draft::text, $2) > 0 ORDER BY id FOR NO KEY UPDATE`,
    [uow.accountId, template.id],
  );
  for (const row of rows) {
    const draft = (typeof row.draft === 'string' ? JSON.parse(row.draft) : row.draft) as { steps?: unknown };
    const changed = rewriteRawSteps(draft.steps, template);
    if (changed.length === 0) continue;
    await uow.q.query(`UPDATE workflows SET draft = $2::jsonb, updated_at = now() WHERE id = $1`, [row.id, JSON.stringify(draft)]);
    await uow.audit(principal.userId, 'workflow.template_sync', 'workflow', row.id, { templateId: template.id, templateVersion: template.version, steps: changed });
  }
}
