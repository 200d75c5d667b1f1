import type { MessageTemplate } from '../../../shared/cloud/templates';
import type { Workflow } from '../../../shared/cloud/workflows';
import { getBridge } from '../../bridge';
import { useAutomation } from './automation-store';
import { hasSyncedSteps, templateVersionsForSave, versionsMatching } from './template-sync';

/** The Automation tab's only door to main (which asks the cloud; admins only). */

const store = () => useAutomation.getState();

async function busy<T>(label: string, work: () => Promise<T>): Promise<T> {
  store().set({ busy: label, error: null });
  try {
    return await work();
  } finally {
    store().set({ busy: null });
  }
}

export async function loadWorkflows(): Promise<void> {
  const result = await getBridge().automation.list();
  if (!result.ok) return store().set({ error: result.error.message });
  store().set({ workflows: result.value.workflows, summaries: Object.fromEntries(result.value.summaries.map((s) => [s.workflowId, s])), error: null });
}

export async function loadOptions(): Promise<void> {
  const result = await getBridge().automation.options();
  if (result.ok) store().set({ options: result.value });
  else store().set({ error: result.error.message });
}

/**
 * The templates as they are now, also into the panels' pickers; null when they cannot be read (a
 * save then names the versions the pickers knew).
 */
async function readTemplates(): Promise<MessageTemplate[] | null> {
  const result = await getBridge().workflowSettings.templates();
  if (!result.ok) return null;
  const { options } = store();
  if (options) store().set({ options: { ...options, templates: result.value } });
  return result.value;
}

/** `templates`: read just before the workflow, so its synced steps' text is known to start from their versions. */
function openInBuilder(workflow: Workflow, templates: readonly MessageTemplate[] | null = null): void {
  store().set({
    open: workflow, name: workflow.name, dryRun: null, dryRunFresh: false, tab: 'builder', message: null,
    templateBase: templates ? versionsMatching(workflow.draft.steps, templates, {}) : {},
  });
  store().dispatch({ type: 'load', doc: workflow.draft });
}

export async function openWorkflow(workflowId: string): Promise<void> {
  const opened = await busy('Opening…', async () => {
    // Before the draft: a template edited in between then shows as not yet seen (a save asks again).
    const templates = await readTemplates();
    return { templates, workflow: await getBridge().automation.get({ workflowId }) };
  });
  if (!opened.workflow.ok) return store().set({ error: opened.workflow.error.message });
  openInBuilder(opened.workflow.value, opened.templates);
}

export function closeWorkflow(): Promise<void> {
  store().set({ open: null, dryRun: null, message: null });
  return loadWorkflows();
}

export async function createWorkflow(name: string): Promise<boolean> {
  const result = await busy('Creating…', () => getBridge().automation.create({ name }));
  if (!result.ok) {
    store().set({ error: result.error.message });
    return false;
  }
  openInBuilder(result.value);
  return true;
}

export async function duplicateWorkflow(workflowId: string): Promise<void> {
  const result = await busy('Duplicating…', () => getBridge().automation.duplicate({ workflowId }));
  if (!result.ok) return store().set({ error: result.error.message });
  store().set({ message: `Created ${result.value.name} (a draft).` });
  await loadWorkflows();
}

export async function pauseWorkflow(workflowId: string): Promise<void> {
  const result = await busy('Pausing…', () => getBridge().automation.pause({ workflowId }));
  if (!result.ok) return store().set({ error: result.error.message });
  store().set({ message: `${result.value.name} is paused: no new runs start; runs in progress continue.` });
  if (store().open?.id === workflowId) store().set({ open: result.value });
  await loadWorkflows();
}

export async function deleteWorkflow(workflowId: string, name: string, inProgress: 'finish' | 'cancel'): Promise<boolean> {
  const result = await busy('Deleting…', () => getBridge().automation.delete({ workflowId, inProgress }));
  if (!result.ok) {
    store().set({ error: result.error.message });
    return false;
  }
  store().set({ message: `Deleted ${name}${inProgress === 'finish' ? '; its runs in progress will finish' : '; its runs in progress were cancelled'}.` });
  await loadWorkflows();
  return true;
}

/**
 * Saves the name and the draft. The cloud refuses a draft naming anything that is not the
 * practice's, and writes synced Send Email steps into their templates — refused when a template
 * changed since its text was read here (`templateVersions`).
 */
export async function saveDraft(): Promise<boolean> {
  const { open, name, builder, options, templateBase } = store();
  if (!open) return false;
  const templateVersions = templateVersionsForSave(builder.doc.steps, options?.templates ?? [], templateBase);
  const result = await busy('Saving…', () =>
    getBridge().automation.save({ workflowId: open.id, name, draft: builder.doc, ...(Object.keys(templateVersions).length > 0 ? { templateVersions } : {}) }),
  );
  if (!result.ok) {
    store().set({ error: result.error.message });
    return false;
  }
  store().set({ open: result.value, message: 'Draft saved.' });
  store().dispatch({ type: 'load', doc: result.value.draft });
  if (hasSyncedSteps(result.value.draft.steps)) {
    // The save may have moved those templates to a new version: the next save starts from it.
    const templates = await readTemplates();
    if (templates) store().set({ templateBase: versionsMatching(result.value.draft.steps, templates, store().templateBase) });
  }
  return true;
}

/** The dry run over the last 30 days for the document as it is on screen (unsaved edits included). */
export async function runDryRun(): Promise<void> {
  const { open, builder } = store();
  if (!open) return;
  const result = await busy('Replaying the last 30 days…', () => getBridge().automation.dryRun({ workflowId: open.id, draft: builder.doc }));
  if (!result.ok) return store().set({ error: result.error.message });
  store().set({ dryRun: result.value, dryRunFresh: true });
}

/** Publishing saves the draft first; it needs a fresh dry run without blocking problems. */
export async function publish(): Promise<void> {
  const { open, dryRun, dryRunFresh } = store();
  if (!open) return;
  if (!dryRun || !dryRunFresh) return store().set({ error: 'Run the dry run on this version of the workflow before publishing.' });
  if (!dryRun.canPublish) return store().set({ error: 'The dry run found problems that block publishing: fix them and run it again.' });
  if (!(await saveDraft())) return;
  store().set({ dryRunFresh: true });
  const result = await busy('Publishing…', () => getBridge().automation.publish({ workflowId: open.id }));
  if (!result.ok) return store().set({ error: result.error.message });
  store().set({ open: result.value, message: `Published ${result.value.name} (version ${result.value.publishedVersion}).` });
}
