import type { Step, WorkflowDocument } from '../../../shared/cloud/workflows';

/**
 * A published document as the engine walks it: each step by id, and where the run goes when a
 * step completes (its next sibling; at the end of a branch, whatever follows the If/Else). Step ids
 * are unique within a document and runs never loop, so a step id is also the step's unique key
 * within a run. Built once per (workflow, version) and cached: versions never change.
 */
export class WorkflowPlan {
  private readonly steps = new Map<string, Step>();
  /** The list a step sits in and its index there. */
  private readonly place = new Map<string, { list: readonly Step[]; index: number; parent: string | null }>();

  constructor(readonly document: WorkflowDocument) {
    const index = (list: readonly Step[], parent: string | null): void => {
      list.forEach((step, i) => {
        this.steps.set(step.id, step);
        this.place.set(step.id, { list, index: i, parent });
        if (step.type === 'if_else') {
          for (const branch of step.branches) index(branch.steps, step.id);
          index(step.elseSteps, step.id);
        }
      });
    };
    index(document.steps, null);
  }

  /** The first step of the workflow (null: nothing to do). */
  first(): string | null {
    return this.document.steps[0]?.id ?? null;
  }

  step(id: string): Step | undefined {
    return this.steps.get(id);
  }

  /** The step after `id` completes, skipping `skip` following siblings first. */
  after(id: string, skip = 0): string | null {
    const at = this.place.get(id);
    if (!at) return null;
    const next = at.list[at.index + 1 + skip];
    if (next) return next.id;
    // Past the end of this list: a branch ends → continue after its If/Else (skips do not carry over).
    return at.parent ? this.after(at.parent) : null;
  }

  /** Where an If/Else goes: the first step of the chosen branch (index) or of else (-1), or after it when that list is empty. */
  enter(ifElseId: string, branch: number): string | null {
    const step = this.steps.get(ifElseId);
    if (!step || step.type !== 'if_else') return null;
    const list = branch >= 0 ? (step.branches[branch]?.steps ?? []) : step.elseSteps;
    return list[0]?.id ?? this.after(ifElseId);
  }
}

const cache = new Map<string, WorkflowPlan>();
const MAX_PLANS = 5000;

export function planFor(workflowId: string, version: number, load: () => WorkflowDocument): WorkflowPlan {
  const key = `${workflowId}@${version}`;
  let plan = cache.get(key);
  if (!plan) {
    plan = new WorkflowPlan(load());
    if (cache.size >= MAX_PLANS) cache.delete(cache.keys().next().value!);
    cache.set(key, plan);
  }
  return plan;
}

export function cachedPlan(workflowId: string, version: number): WorkflowPlan | undefined {
  return cache.get(`${workflowId}@${version}`);
}
