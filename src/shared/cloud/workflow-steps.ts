import type { ActionConfig, ActionType, ConditionGroup } from './workflow-actions';

/**
 * A workflow's step tree: its types and its walk, apart from workflows.ts's schemas. The builder's
 * reducer walks it, and Settings imports the reducer on the page's way to "Ready for calls", where
 * the schemas would bring zod (issue #21).
 */
export type ActionStep = { [T in ActionType]: { id: string; name: string; type: T; config: ActionConfig<T> } }[ActionType];
export interface IfElseBranch {
  id: string;
  name: string;
  conditions: ConditionGroup;
  steps: Step[];
}
export interface IfElseStep {
  id: string;
  name: string;
  type: 'if_else';
  /** Checked in order; the first that matches runs; none → `elseSteps`. */
  branches: IfElseBranch[];
  elseSteps: Step[];
}
export type Step = ActionStep | IfElseStep;

/** Visits every step of a tree (branches included), depth first. */
export function walkSteps(steps: readonly Step[], visit: (step: Step, depth: number) => void, depth = 0): void {
  for (const step of steps) {
    visit(step, depth);
    if (step.type === 'if_else') {
      for (const branch of step.branches) walkSteps(branch.steps, visit, depth + 1);
      walkSteps(step.elseSteps, visit, depth + 1);
    }
  }
}
