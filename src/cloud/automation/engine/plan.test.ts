import { describe, expect, it } from 'vitest';
import { workflowDocumentSchema } from '../../../shared/cloud/workflows';
import { WorkflowPlan } from './plan';

const tag = (id: string) => ({ id, name: id, type: 'add_tag', config: { tags: ['x'] } });
const doc = workflowDocumentSchema.parse({
  trigger: { type: 'manual' },
  steps: [
    tag('a'),
    {
      id: 'if', name: 'VIP?', type: 'if_else',
      branches: [
        { id: 'b1', name: 'VIP', conditions: { rules: [{ field: 'contact.tags', operator: 'has_tag', value: 'vip' }] }, steps: [tag('v1'), tag('v2')] },
        { id: 'b2', name: 'Empty', conditions: { rules: [{ field: 'contact.email', operator: 'is_empty' }] }, steps: [] },
      ],
      elseSteps: [tag('e1')],
    },
    tag('z'),
  ],
});

describe('WorkflowPlan', () => {
  const plan = new WorkflowPlan(doc);
  it('walks siblings, enters branches and leaves them after the If/Else', () => {
    expect(plan.first()).toBe('a');
    expect(plan.after('a')).toBe('if');
    expect(plan.enter('if', 0)).toBe('v1');
    expect(plan.after('v1')).toBe('v2');
    expect(plan.after('v2')).toBe('z');
    expect(plan.enter('if', 1)).toBe('z'); // an empty branch goes straight on
    expect(plan.enter('if', -1)).toBe('e1');
    expect(plan.after('e1')).toBe('z');
    expect(plan.after('z')).toBeNull();
  });
  it('skips following siblings (not past the end of a branch)', () => {
    expect(plan.after('a', 1)).toBe('z');
    expect(plan.after('v1', 1)).toBe('z');
    expect(plan.after('v1', 5)).toBe('z');
    expect(plan.after('a', 2)).toBeNull();
  });
  it('refuses a document with a repeated step id', () => {
    expect(() => workflowDocumentSchema.parse({ steps: [tag('a'), tag('a')] })).toThrow(/used twice/);
  });
});
