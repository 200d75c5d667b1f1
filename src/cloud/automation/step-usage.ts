import { walkSteps, workflowDocumentSchema, type Step } from '../../shared/cloud/workflows';
import type { Queryable } from '../db';

export interface StepUse<T> {
  workflowId: string;
  workflowName: string;
  stepId: string;
  stepName: string;
  /** In the published version new runs start on (not only in the draft). */
  published: boolean;
  /** What `pick` said of it (merged when the draft and the published version both have it). */
  found: T;
}

/**
 * The steps of the practice's live workflows that `pick` picks (a step naming a template, a trigger
 * link…), in the draft being edited or in the published version new runs start on, so an admin is
 * warned before changing what they use. A step in both is listed once, with the draft's name and
 * `merge` of what was found in each.
 */
export async function stepsOfLiveWorkflows<T>(q: Queryable, accountId: string, pick: (step: Step) => T | null, merge: (a: T, b: T) => T): Promise<StepUse<T>[]> {
  const rows = await q.query<{ id: string; name: string; draft: unknown; published: unknown }>(
    `SELECT w.id, w.name, w.draft, v.document AS published
       FROM workflows w LEFT JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.published_version
      WHERE w.account_id = $1 AND w.deleted_at IS NULL
      ORDER BY lower(w.name), w.id`,
    [accountId],
  );
  const uses: StepUse<T>[] = [];
  for (const row of rows) {
    const inWorkflow = new Map<string, StepUse<T>>();
    for (const [raw, published] of [[row.draft, false], [row.published, true]] as const) {
      const document = workflowDocumentSchema.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw);
      if (!document.success) continue;
      walkSteps(document.data.steps, (step) => {
        const found = pick(step);
        if (found === null) return;
        const before = inWorkflow.get(step.id);
        inWorkflow.set(step.id, {
          workflowId: row.id, workflowName: row.name, stepId: step.id, stepName: before?.stepName ?? step.name,
          published: Boolean(before?.published || published), found: before ? merge(before.found, found) : found,
        });
      });
    }
    uses.push(...inWorkflow.values());
  }
  return uses;
}
