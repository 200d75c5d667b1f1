import type { Step } from '../../shared/cloud/workflows';
import type { TemplateUsage } from '../../shared/cloud/templates';
import { stepsOfLiveWorkflows } from '../automation/step-usage';
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
  const uses = await stepsOfLiveWorkflows(
    ctx.db, principal.accountId,
    (step) => {
      const named = templateOf(step);
      return named?.templateId === templateId ? Boolean(named.syncTemplateEdits) : null;
    },
    (a, b) => a || b,
  );
  return { templateId, steps: uses.map((u) => ({ workflowId: u.workflowId, workflowName: u.workflowName, stepId: u.stepId, stepName: u.stepName, synced: u.found })) };
}
