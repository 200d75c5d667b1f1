import { triggerLinkKeysIn } from '../../shared/cloud/trigger-link-fields';
import type { TriggerLinkUsage } from '../../shared/cloud/trigger-links';
import { walkSteps, workflowDocumentSchema } from '../../shared/cloud/workflows';
import { requireAdmin } from '../auth/roles';
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
 * would then fail. A step in both is listed once (published if it is in the published version).
 */
export async function triggerLinkUsage(ctx: CloudContext, principal: Principal, linkId: string): Promise<TriggerLinkUsage> {
  requireAdmin(principal);
  const links = await ctx.db.query<{ key: string }>(`SELECT key FROM trigger_links WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [linkId, principal.accountId]);
  if (!links[0]) throw notFound('Trigger link');
  const key = links[0].key;
  const rows = await ctx.db.query<{ id: string; name: string; draft: unknown; published: unknown }>(
    `SELECT w.id, w.name, w.draft, v.document AS published
       FROM workflows w LEFT JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.published_version
      WHERE w.account_id = $1 AND w.deleted_at IS NULL
      ORDER BY lower(w.name), w.id`,
    [principal.accountId],
  );
  const steps: TriggerLinkUsage['steps'] = [];
  for (const row of rows) {
    const found = new Map<string, TriggerLinkUsage['steps'][number]>();
    for (const [raw, published] of [[row.draft, false], [row.published, true]] as const) {
      const document = workflowDocumentSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
      if (!document.success) continue;
      walkSteps(document.data.steps, (step) => {
        if (step.type === 'if_else' || !textsOf(step.config, []).some((text) => triggerLinkKeysIn(text).includes(key))) return;
        const before = found.get(step.id);
        found.set(step.id, { workflowId: row.id, workflowName: row.name, stepId: step.id, stepName: before?.stepName ?? step.name, published: Boolean(before?.published || published) });
      });
    }
    steps.push(...found.values());
  }
  return { linkId, steps };
}
