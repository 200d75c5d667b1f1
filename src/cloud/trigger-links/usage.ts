import { triggerLinkKeysIn } from '../../shared/cloud/trigger-link-fields';
import type { TriggerLinkUsage } from '../../shared/cloud/trigger-links';
import type { Step } from '../../shared/cloud/workflows';
import { requireAdmin } from '../auth/roles';
import { stepsOfLiveWorkflows } from '../automation/step-usage';
import type { CloudContext, Principal } from '../context';
import { notFound } from '../errors';

/** Every string of a step's config, wherever it sits. */
function textsOf(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) textsOf(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) textsOf(v, into);
  return into;
}

/**
 * Which steps of the practice's live workflows name a trigger link — in the draft being edited or
 * in the published version new runs start on — so the admin sees, before deleting it, which steps
 * would then fail.
 */
export async function triggerLinkUsage(ctx: CloudContext, principal: Principal, linkId: string): Promise<TriggerLinkUsage> {
  requireAdmin(principal);
  const links = await ctx.db.query<{ key: string }>(`SELECT key FROM trigger_links WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [linkId, principal.accountId]);
  if (!links[0]) throw notFound('Trigger link');
  const key = links[0].key;
  const names = (step: Step): true | null =>
    step.type !== 'if_else' && textsOf(step.config, []).some((text) => triggerLinkKeysIn(text).includes(key)) ? true : null;
  const uses = await stepsOfLiveWorkflows(ctx.db, principal.accountId, names, () => true);
  return { linkId, steps: uses.map((u) => ({ workflowId: u.workflowId, workflowName: u.workflowName, stepId: u.stepId, stepName: u.stepName, published: u.published })) };
}
