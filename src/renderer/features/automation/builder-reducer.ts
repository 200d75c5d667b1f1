import type { IfElseStep, Step, Trigger, WorkflowDocument, WorkflowSettings } from '../../../shared/cloud/workflows';
import { walkSteps } from '../../../shared/cloud/workflow-steps';

/**
 * The builder's state: a pure reducer over the workflow document (the same shape the cloud stores
 * as the draft). Every edit the screen makes — trigger, steps, branches, order, settings — is one
 * action here, so the rules (ids unique, a step never moved into itself) are tested without React.
 */

/** Where a list of steps lives: the top-level flow, one If/Else branch, or an If/Else's else list. */
export type StepListRef = { kind: 'root' } | { kind: 'branch'; stepId: string; branchId: string } | { kind: 'else'; stepId: string };
export const ROOT: StepListRef = { kind: 'root' };

export type BuilderAction =
  | { type: 'load'; doc: WorkflowDocument }
  | { type: 'setTrigger'; trigger: Trigger | null }
  | { type: 'setSettings'; patch: Partial<WorkflowSettings> }
  | { type: 'insertStep'; list: StepListRef; index: number; step: Step }
  | { type: 'updateStep'; step: Step }
  | { type: 'removeStep'; stepId: string }
  /** Keyboard reordering: one place up or down within its list. */
  | { type: 'moveStep'; stepId: string; delta: -1 | 1 }
  /** Drag and drop: to `index` of `list` (the index as seen before the step is taken out). */
  | { type: 'moveStepTo'; stepId: string; list: StepListRef; index: number }
  | { type: 'addBranch'; stepId: string; branchId: string; name: string }
  | { type: 'removeBranch'; stepId: string; branchId: string };

export interface BuilderState {
  doc: WorkflowDocument;
  /** Edited since loaded or saved. */
  dirty: boolean;
  /** Why the last action did nothing (shown to the admin), else null. */
  refused: string | null;
}

export const emptyDocument = (): WorkflowDocument => ({ trigger: null, steps: [], settings: { stopOnResponse: false, allowReentry: false } });
export const initialBuilderState = (doc: WorkflowDocument = emptyDocument()): BuilderState => ({ doc, dirty: false, refused: null });

/** The list a ref names, or undefined when its If/Else (or branch) is gone. */
export function stepList(steps: readonly Step[], list: StepListRef): readonly Step[] | undefined {
  if (list.kind === 'root') return steps;
  const owner = findStep(steps, list.stepId);
  if (!owner || owner.type !== 'if_else') return undefined;
  if (list.kind === 'else') return owner.elseSteps;
  return owner.branches.find((b) => b.id === list.branchId)?.steps;
}

export function findStep(steps: readonly Step[], stepId: string): Step | undefined {
  let found: Step | undefined;
  walkSteps(steps, (step) => {
    if (!found && step.id === stepId) found = step;
  });
  return found;
}

/** Every id in use (steps and If/Else branches): new ones must differ. */
export function usedIds(doc: WorkflowDocument): Set<string> {
  const ids = new Set<string>();
  walkSteps(doc.steps, (step) => {
    ids.add(step.id);
    if (step.type === 'if_else') for (const b of step.branches) ids.add(b.id);
  });
  return ids;
}

/** A readable id not used yet: `send_email_1`, `send_email_2`… (stable: the log and statistics key on it). */
export function nextStepId(doc: WorkflowDocument, prefix: string): string {
  const used = usedIds(doc);
  for (let n = 1; ; n += 1) if (!used.has(`${prefix}_${n}`)) return `${prefix}_${n}`;
}

/** Rebuilds the tree with `edit` applied to the list `list` names (other lists are shared, not copied). */
function editList(steps: Step[], list: StepListRef, edit: (list: Step[]) => Step[]): Step[] {
  if (list.kind === 'root') return edit(steps);
  return steps.map((step) => {
    if (step.type !== 'if_else') return step;
    if (step.id === list.stepId) {
      if (list.kind === 'else') return { ...step, elseSteps: edit(step.elseSteps) };
      return { ...step, branches: step.branches.map((b) => (b.id === list.branchId ? { ...b, steps: edit(b.steps) } : b)) };
    }
    return mapChildren(step, (children) => editList(children, list, edit));
  });
}

function mapChildren(step: IfElseStep, map: (steps: Step[]) => Step[]): IfElseStep {
  return { ...step, branches: step.branches.map((b) => ({ ...b, steps: map(b.steps) })), elseSteps: map(step.elseSteps) };
}

/** The ref of the list holding `stepId`, and its index there. */
export function locate(steps: readonly Step[], stepId: string, list: StepListRef = ROOT): { list: StepListRef; index: number } | undefined {
  const index = steps.findIndex((s) => s.id === stepId);
  if (index >= 0) return { list, index };
  for (const step of steps) {
    if (step.type !== 'if_else') continue;
    for (const b of step.branches) {
      const found = locate(b.steps, stepId, { kind: 'branch', stepId: step.id, branchId: b.id });
      if (found) return found;
    }
    const found = locate(step.elseSteps, stepId, { kind: 'else', stepId: step.id });
    if (found) return found;
  }
  return undefined;
}

function idsOf(step: Step): string[] {
  const ids: string[] = [];
  walkSteps([step], (s) => {
    ids.push(s.id);
    if (s.type === 'if_else') for (const b of s.branches) ids.push(b.id);
  });
  return ids;
}

const clamp = (n: number, max: number): number => Math.max(0, Math.min(n, max));
const refuse = (state: BuilderState, refused: string): BuilderState => ({ ...state, refused });
const edited = (_state: BuilderState, doc: WorkflowDocument): BuilderState => ({ doc, dirty: true, refused: null });

export function builderReducer(state: BuilderState, action: BuilderAction): BuilderState {
  const { doc } = state;
  switch (action.type) {
    case 'load':
      return initialBuilderState(action.doc);
    case 'setTrigger':
      return edited(state, { ...doc, trigger: action.trigger });
    case 'setSettings':
      return edited(state, { ...doc, settings: { ...doc.settings, ...action.patch } });
    case 'insertStep': {
      const target = stepList(doc.steps, action.list);
      if (!target) return refuse(state, 'That branch no longer exists.');
      const used = usedIds(doc);
      const clash = idsOf(action.step).find((id) => used.has(id));
      if (clash) return refuse(state, `Step id "${clash}" is already used.`);
      const index = clamp(action.index, target.length);
      return edited(state, { ...doc, steps: editList(doc.steps, action.list, (l) => [...l.slice(0, index), action.step, ...l.slice(index)]) });
    }
    case 'updateStep': {
      const at = locate(doc.steps, action.step.id);
      if (!at) return refuse(state, 'That step no longer exists.');
      const old = findStep(doc.steps, action.step.id)!;
      // An If/Else edited in its panel keeps the steps inside its branches unless the edit replaced them.
      const replacement = old.type === 'if_else' && action.step.type === 'if_else' ? keepBranchSteps(old, action.step) : action.step;
      const others = usedIds(doc);
      for (const id of idsOf(old)) others.delete(id);
      const clash = idsOf(replacement).find((id) => others.has(id));
      if (clash) return refuse(state, `Step id "${clash}" is already used.`);
      return edited(state, { ...doc, steps: editList(doc.steps, at.list, (l) => l.map((s) => (s.id === action.step.id ? replacement : s))) });
    }
    case 'removeStep': {
      const at = locate(doc.steps, action.stepId);
      if (!at) return refuse(state, 'That step no longer exists.');
      return edited(state, { ...doc, steps: editList(doc.steps, at.list, (l) => l.filter((s) => s.id !== action.stepId)) });
    }
    case 'moveStep': {
      const at = locate(doc.steps, action.stepId);
      if (!at) return refuse(state, 'That step no longer exists.');
      const list = stepList(doc.steps, at.list)!;
      const to = at.index + action.delta;
      if (to < 0 || to >= list.length) return refuse(state, action.delta < 0 ? 'Already the first step here.' : 'Already the last step here.');
      return edited(state, {
        ...doc,
        steps: editList(doc.steps, at.list, (l) => {
          const next = [...l];
          [next[at.index], next[to]] = [next[to]!, next[at.index]!];
          return next;
        }),
      });
    }
    case 'moveStepTo': {
      const at = locate(doc.steps, action.stepId);
      if (!at) return refuse(state, 'That step no longer exists.');
      const step = findStep(doc.steps, action.stepId)!;
      if (action.list.kind !== 'root' && idsOf(step).includes(action.list.stepId)) return refuse(state, 'An If/Else cannot go inside its own branches.');
      if (!stepList(doc.steps, action.list)) return refuse(state, 'That branch no longer exists.');
      const sameList = JSON.stringify(at.list) === JSON.stringify(action.list);
      // Removing the step first shifts later positions of the same list by one.
      const index = sameList && action.index > at.index ? action.index - 1 : action.index;
      const without = editList(doc.steps, at.list, (l) => l.filter((s) => s.id !== action.stepId));
      const target = stepList(without, action.list)!;
      const i = clamp(index, target.length);
      return edited(state, { ...doc, steps: editList(without, action.list, (l) => [...l.slice(0, i), step, ...l.slice(i)]) });
    }
    case 'addBranch': {
      const owner = findStep(doc.steps, action.stepId);
      if (!owner || owner.type !== 'if_else') return refuse(state, 'That If/Else no longer exists.');
      if (owner.branches.length >= 10) return refuse(state, 'An If/Else has at most 10 branches.');
      if (usedIds(doc).has(action.branchId)) return refuse(state, `Step id "${action.branchId}" is already used.`);
      const branch = { id: action.branchId, name: action.name, conditions: { match: 'all' as const, rules: [{ field: 'contact.email', operator: 'is_not_empty' as const }] }, steps: [] };
      return replaceStep(state, { ...owner, branches: [...owner.branches, branch] });
    }
    case 'removeBranch': {
      const owner = findStep(doc.steps, action.stepId);
      if (!owner || owner.type !== 'if_else') return refuse(state, 'That If/Else no longer exists.');
      if (owner.branches.length <= 1) return refuse(state, 'An If/Else needs at least one branch besides None (else).');
      return replaceStep(state, { ...owner, branches: owner.branches.filter((b) => b.id !== action.branchId) });
    }
  }
}

function replaceStep(state: BuilderState, step: Step): BuilderState {
  const at = locate(state.doc.steps, step.id)!;
  return edited(state, { ...state.doc, steps: editList(state.doc.steps, at.list, (l) => l.map((s) => (s.id === step.id ? step : s))) });
}

/** The If/Else panel edits names and conditions; the steps inside stay as the flow has them. */
function keepBranchSteps(old: IfElseStep, next: IfElseStep): IfElseStep {
  return {
    ...next,
    branches: next.branches.map((b) => ({ ...b, steps: b.steps.length > 0 ? b.steps : (old.branches.find((o) => o.id === b.id)?.steps ?? []) })),
    elseSteps: next.elseSteps.length > 0 ? next.elseSteps : old.elseSteps,
  };
}

/** Every step id in the document, in flow order (tests and the dry-run view use it). */
export function flowOrder(doc: WorkflowDocument): string[] {
  const ids: string[] = [];
  walkSteps(doc.steps, (s) => ids.push(s.id));
  return ids;
}
