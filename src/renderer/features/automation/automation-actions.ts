import type { Workflow } from '../../../shared/cloud/workflows';
import { getBridge } from '../../bridge';
import { useAutomation } from './automation-store';

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

function openInBuilder(workflow: Workflow): void {
  store().set({ open: workflow, name: workflow.name, dryRun: null, dryRunFresh: false, tab: 'builder', message: null });
  store().dispatch({ type: 'load', doc: workflow.draft });
}

export async function openWorkflow(workflowId: string): Promise<void> {
  const result = await busy('Opening…', () => getBridge().automation.get({ workflowId }));
  if (!result.ok) return store().set({ error: result.error.message });
  openInBuilder(result.value);
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

/** Saves the name and the draft. The cloud refuses a draft naming anything that is not the practice's. */
export async function saveDraft(): Promise<boolean> {
  const { open, name, builder } = store();
  if (!open) return false;
  const result = await busy('Saving…', () => getBridge().automation.save({ workflowId: open.id, name, draft: builder.doc }));
  if (!result.ok) {
    store().set({ error: result.error.message });
    return false;
  }
  store().set({ open: result.value, message: 'Draft saved.' });
  store().dispatch({ type: 'load', doc: result.value.draft });
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
