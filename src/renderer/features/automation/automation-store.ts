import { create } from 'zustand';
import type { DryRunReport, WorkflowSummary } from '../../../shared/cloud/workflow-builder';
import type { Workflow } from '../../../shared/cloud/workflows';
import type { BuilderOptions } from '../../../shared/ipc/contract-automation';
import { builderReducer, initialBuilderState, type BuilderAction, type BuilderState } from './builder-reducer';

/** The Automation tab's pages when no workflow is open: the list and the settings the actions rely on. */
export type AutomationPage = 'workflows' | 'templates' | 'media' | 'trigger_links';

/** The Automation tab: the list, the workflow open in the builder (its draft under the reducer), the last dry run. */
interface AutomationState {
  page: AutomationPage;
  workflows: Workflow[] | null;
  summaries: Record<string, WorkflowSummary>;
  options: BuilderOptions | null;
  /** The workflow open in the builder (null: the list). */
  open: Workflow | null;
  /** Which screen of an open workflow: the builder or its execution log. */
  tab: 'builder' | 'log';
  builder: BuilderState;
  /** Sync Edits to Template: per template, the version the open draft's synced steps' text started from (template-sync.ts). */
  templateBase: Record<string, number>;
  name: string;
  dryRun: DryRunReport | null;
  /** The dry run is for the document as it is now (edits after it need a new one before publishing). */
  dryRunFresh: boolean;
  busy: string | null;
  error: string | null;
  /** The last change's outcome, announced politely. */
  message: string | null;
  set(patch: Partial<AutomationState>): void;
  dispatch(action: BuilderAction): void;
}

export const useAutomation = create<AutomationState>((set) => ({
  page: 'workflows',
  workflows: null,
  summaries: {},
  options: null,
  open: null,
  tab: 'builder',
  builder: initialBuilderState(),
  templateBase: {},
  name: '',
  dryRun: null,
  dryRunFresh: false,
  busy: null,
  error: null,
  message: null,
  set: (patch) => set(patch),
  dispatch: (action) => set((s) => ({ builder: builderReducer(s.builder, action), dryRunFresh: action.type === 'load' ? s.dryRunFresh : false })),
}));
