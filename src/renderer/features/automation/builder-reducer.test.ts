import { describe, expect, it } from 'vitest';
import { workflowDocumentSchema, type Step, type WorkflowDocument } from '../../../shared/cloud/workflows';
import { newStep, newTrigger } from './action-catalog';
import { builderReducer, emptyDocument, flowOrder, initialBuilderState, nextStepId, ROOT, type BuilderAction, type BuilderState } from './builder-reducer';

const run = (actions: BuilderAction[], state: BuilderState = initialBuilderState()): BuilderState => actions.reduce(builderReducer, state);
const ifElse = (id: string): Step => newStep('if_else', id);
const tag = (id: string, tags = ['vip']): Step => ({ id, name: 'Add Tag', type: 'add_tag', config: { tags } });

describe('builder reducer', () => {
  it('builds "Spam call → inbound DND": trigger with a disposition filter and one DND action, a valid document', () => {
    const s = run([
      { type: 'setTrigger', trigger: { type: 'call_details', filters: { dispositionIds: ['d-spam'] } } },
      { type: 'insertStep', list: ROOT, index: 0, step: { id: 'dnd_1', name: 'Block inbound', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: ['call'] } } },
      { type: 'setSettings', patch: { allowReentry: true } },
    ]);
    expect(s.dirty).toBe(true);
    expect(s.refused).toBeNull();
    expect(workflowDocumentSchema.parse(s.doc)).toEqual(s.doc);
    expect(s.doc.settings).toEqual({ stopOnResponse: false, allowReentry: true });
  });

  it('inserts between steps and inside If/Else branches, and keeps step ids unique', () => {
    const s = run([
      { type: 'insertStep', list: ROOT, index: 0, step: tag('a') },
      { type: 'insertStep', list: ROOT, index: 1, step: ifElse('if') },
      { type: 'insertStep', list: ROOT, index: 1, step: tag('b') },
      { type: 'insertStep', list: { kind: 'branch', stepId: 'if', branchId: 'if_b1' }, index: 0, step: tag('in-branch') },
      { type: 'insertStep', list: { kind: 'else', stepId: 'if' }, index: 0, step: tag('in-else') },
    ]);
    expect(flowOrder(s.doc)).toEqual(['a', 'b', 'if', 'in-branch', 'in-else']);
    const clash = builderReducer(s, { type: 'insertStep', list: ROOT, index: 0, step: tag('in-else') });
    expect(clash.doc).toBe(s.doc);
    expect(clash.refused).toMatch(/already used/);
    const branchClash = builderReducer(s, { type: 'insertStep', list: ROOT, index: 0, step: tag('if_b1') });
    expect(branchClash.refused).toMatch(/already used/);
    expect(nextStepId(s.doc, 'if')).toBe('if_1');
  });

  it('moves a step up and down with the keyboard within its own list, refusing past either end', () => {
    const s = run([1, 2, 3].map((n) => ({ type: 'insertStep', list: ROOT, index: n, step: tag(`t${n}`) }) as BuilderAction));
    const down = builderReducer(s, { type: 'moveStep', stepId: 't1', delta: 1 });
    expect(flowOrder(down.doc)).toEqual(['t2', 't1', 't3']);
    const top = builderReducer(s, { type: 'moveStep', stepId: 't1', delta: -1 });
    expect(top.doc).toBe(s.doc);
    expect(top.refused).toMatch(/first/);
    expect(builderReducer(s, { type: 'moveStep', stepId: 't3', delta: 1 }).refused).toMatch(/last/);
  });

  it('drags a step to another position or into a branch, but never an If/Else into itself', () => {
    const s = run([
      { type: 'insertStep', list: ROOT, index: 0, step: tag('a') },
      { type: 'insertStep', list: ROOT, index: 1, step: tag('b') },
      { type: 'insertStep', list: ROOT, index: 2, step: ifElse('if') },
    ]);
    expect(flowOrder(builderReducer(s, { type: 'moveStepTo', stepId: 'a', list: ROOT, index: 2 }).doc)).toEqual(['b', 'a', 'if']);
    expect(flowOrder(builderReducer(s, { type: 'moveStepTo', stepId: 'b', list: ROOT, index: 0 }).doc)).toEqual(['b', 'a', 'if']);
    const intoBranch = builderReducer(s, { type: 'moveStepTo', stepId: 'a', list: { kind: 'branch', stepId: 'if', branchId: 'if_b1' }, index: 0 });
    expect(intoBranch.doc.steps.map((x) => x.id)).toEqual(['b', 'if']);
    expect(flowOrder(intoBranch.doc)).toEqual(['b', 'if', 'a']);
    const self = builderReducer(s, { type: 'moveStepTo', stepId: 'if', list: { kind: 'else', stepId: 'if' }, index: 0 });
    expect(self.refused).toMatch(/own branches/);
    expect(self.doc).toBe(s.doc);
  });

  it('updates a step in place, removes it with its branches, and keeps branch steps when an If/Else is edited', () => {
    let s = run([
      { type: 'insertStep', list: ROOT, index: 0, step: ifElse('if') },
      { type: 'insertStep', list: { kind: 'branch', stepId: 'if', branchId: 'if_b1' }, index: 0, step: tag('x') },
      { type: 'addBranch', stepId: 'if', branchId: 'if_b2', name: 'Branch 2' },
    ]);
    const edited = { ...(ifElse('if') as Extract<Step, { type: 'if_else' }>), name: 'Has email?' };
    edited.branches = [{ ...edited.branches[0]!, name: 'Yes' }, { id: 'if_b2', name: 'Other', conditions: edited.branches[0]!.conditions, steps: [] }];
    s = builderReducer(s, { type: 'updateStep', step: edited });
    expect(s.refused).toBeNull();
    expect(flowOrder(s.doc)).toEqual(['if', 'x']);
    expect(s.doc.steps[0]!.name).toBe('Has email?');
    expect(builderReducer(s, { type: 'removeBranch', stepId: 'if', branchId: 'if_b1' }).doc.steps[0]).toMatchObject({ branches: [{ id: 'if_b2' }] });
    const gone = builderReducer(s, { type: 'removeStep', stepId: 'if' });
    expect(gone.doc.steps).toEqual([]);
    expect(builderReducer(gone, { type: 'updateStep', step: tag('if') }).refused).toMatch(/no longer exists/);
  });

  it('load resets dirty; a refusal keeps the previous document', () => {
    const doc: WorkflowDocument = { ...emptyDocument(), trigger: newTrigger('contact_created') };
    const s = builderReducer(run([{ type: 'setSettings', patch: { stopOnResponse: true } }]), { type: 'load', doc });
    expect(s).toEqual({ doc, dirty: false, refused: null });
    expect(builderReducer(s, { type: 'removeBranch', stepId: 'nope', branchId: 'x' })).toMatchObject({ doc, refused: expect.any(String) });
  });
});
