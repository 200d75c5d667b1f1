import type { TemplateUsage } from '../../../../shared/cloud/templates';
import { getBridge } from '../../../bridge';
import { useLoaded } from './use-loaded';

const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;

/** "Used by 2 steps in 'New lead follow-up' and 1 step in 'Reminders'." — null when nothing uses it (a template's or a trigger link's usage). */
export function describeUsage<U extends { steps: readonly Pick<TemplateUsage['steps'][number], 'workflowId' | 'workflowName'>[] }>(usage: U): string | null {
  if (usage.steps.length === 0) return null;
  const byWorkflow = new Map<string, { name: string; count: number }>();
  for (const s of usage.steps) {
    const entry = byWorkflow.get(s.workflowId) ?? { name: s.workflowName, count: 0 };
    entry.count += 1;
    byWorkflow.set(s.workflowId, entry);
  }
  const parts = [...byWorkflow.values()].map((w) => `${steps(w.count)} in '${w.name}'`);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Used by ${list}.`;
}

/**
 * Warns, before an edit or a delete, which workflow steps use the template (the cloud looks through
 * the practice's drafts and published versions). `action` says what the warning is about.
 */
export function TemplateUsageNote(props: { templateId: string; action: 'edit' | 'delete' }) {
  const { value: usage, failure } = useLoaded(() => getBridge().workflowSettings.templateUsage({ templateId: props.templateId }), props.templateId);

  if (failure) return <p className="field-warning">Could not check which workflow steps use this template: {failure}</p>;
  if (!usage) return <p className="muted">Checking which workflow steps use this template…</p>;
  const used = describeUsage(usage);
  if (!used) return <p className="muted">No workflow step uses this template.</p>;
  const synced = usage.steps.filter((s) => s.synced).length;
  const consequence =
    props.action === 'edit'
      ? synced > 0
        ? ` ${steps(synced)} ${synced === 1 ? 'has' : 'have'} Sync Edits to Template on: ${synced === 1 ? 'its workflow’s draft takes' : 'their workflows’ drafts take'} the edit, sent once published again; the others keep their own copy.`
        : ' Those steps keep their own copy: your edit does not change them.'
      : ' Those steps keep their own copy of the text and go on sending it.';
  return (
    <p className="field-warning" role="note">
      {used}
      {consequence}
    </p>
  );
}
