import { walkSteps, workflowDocumentSchema, type Step } from '../../shared/cloud/workflows';
import type { TemplateUsage } from '../../shared/cloud/templates';
import type { CloudContext, Principal } from '../context';
import { notFound } from '../errors';
import { findTemplate } from './service';

/** A step that names a template (Send Email, Send SMS, Manual SMS…), whatever its action. */
function templateOf(step: Step): { templateId: string | null; syncTemplateEdits?: boolean } | null {
  const config = (step as { config?: unknown }).config;
  return config && typeof config === 'object' && 'templateId' in config ? (config as { templateId: string | null; syncTemplateEdits?: boolean }) : null;
}

/**
 * Which steps of the practice's live workflows use a template — in the draft being edited or in the
 * published version that runs — so the admin is warned before editing or deleting it. A step found in
 * both is listed once (synced if either has Sync Edits to Template on).
 */
export async function templateUsage(ctx: CloudContext, principal: Principal, templateId: string): Promise<TemplateUsage> {
  if (!(await findTemplate(ctx.db, principal.accountId, templateId))) throw notFound('Template');
  const rows = await ctx.db.query<{ id: string; name: string; draft: unknown; published: unknown }>(
    `SELECT w.id, w.name, w.draft, v.document AS published
       FROM workflows w LEFT JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.published_version
      WHERE w.account_id = $1 AND w.deleted_at IS NULL
      ORDER BY lower(w.name), w.id`,
    [principal.accountId],
  );
  const steps: TemplateUsage['steps'] = [];
  for (const row of rows) {
    const found = new Map<string, TemplateUsage['steps'][number]>();
    for (const raw of [row.draft, row.published]) {
      const document = workflowDocumentSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
      if (!document.success) continue;
      walkSteps(document.data.steps, (step) => {
        const uses = templateOf(step);
        if (uses?.templateId !== templateId) return;
        const before = found.get(step.id);
        found.set(step.id, { workflowId: row.id, workflowName: row.name, stepId: step.id, stepName: before?.stepName ?? step.name, synced: Boolean(before?.synced || uses.syncTemplateEdits) });
      });
    }
    steps.push(...found.values());
  }
  return { templateId, steps };
}
