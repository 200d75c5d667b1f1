import { describe, expect, it } from 'vitest';
import { slackDestinationIssues } from './workflow-actions';
import { completeStepSchema, createWorkflowSchema, publishProblems, workflowDocumentSchema } from './workflows';

/** What Save Action shows under each field: the issue's message keyed by its path. */
function slackIssues(config: { event: string; [field: string]: string }): Record<string, string> {
  return Object.fromEntries(slackDestinationIssues(config).map((i) => [i.path, i.message]));
}

const incomplete = { id: 'slack', name: 'Tell Slack', type: 'slack', config: { connectionId: 'slk_1', event: 'public_channel', message: 'x' } };

describe('Slack step: its destination is complete before it is saved', () => {
  it('a channel event needs its channel', () => {
    expect(slackIssues({ event: 'public_channel' })).toEqual({ channelId: 'Choose the channel to post in' });
    expect(slackIssues({ event: 'private_channel', channelId: ' ' })).toEqual({ channelId: 'Choose the channel to post in' });
    expect(slackIssues({ event: 'private_channel', channelId: 'G0MANAGEMENT' })).toEqual({});
  });

  it('a direct message needs what its User Source finds the member by', () => {
    expect(slackIssues({ event: 'direct_message', userSource: 'internal_user' })).toEqual({ internalUserId: 'Choose the user to message' });
    expect(slackIssues({ event: 'direct_message', userSource: 'slack_user' })).toEqual({ slackUserId: 'Choose the Slack member to message' });
    expect(slackIssues({ event: 'direct_message', userSource: 'custom_email', customEmail: '' })).toEqual({
      customEmail: 'Enter the email (or custom value) of the Slack member to message',
    });
    expect(slackIssues({ event: 'direct_message', userSource: 'custom_email', customEmail: '{{contact.email}}' })).toEqual({});
    expect(slackIssues({ event: 'direct_message', userSource: 'internal_user', internalUserId: 'usr_1' })).toEqual({});
    expect(slackIssues({ event: 'direct_message', userSource: 'slack_user', slackUserId: 'U0JORDAN' })).toEqual({});
  });

  it('a direct message with no User Source goes to the assigned user (the builder’s default; steps stored before it was saved)', () => {
    expect(slackIssues({ event: 'direct_message' })).toEqual({});
    expect(slackIssues({ event: 'direct_message', userSource: 'assigned_user' })).toEqual({});
  });

  it('the message is on the field itself in the step the builder validates on Save', () => {
    const parsed = completeStepSchema.safeParse(incomplete);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['config.channelId', 'Choose the channel to post in']]);
  });

  it('a step stored before the check still reads (lists, opens, runs its plan); saving and publishing it say what is missing, at its path', () => {
    const draft = { trigger: null, steps: [{ id: 'if', name: 'Which', type: 'if_else', branches: [{ id: 'b1', name: 'VIP', conditions: { match: 'all', rules: [{ field: 'contact.tags', operator: 'has_tag', value: 'vip' }] }, steps: [incomplete] }] }] };
    expect(workflowDocumentSchema.safeParse(draft).success).toBe(true);
    const saved = createWorkflowSchema.safeParse({ name: 'Old', draft });
    expect(saved.success ? [] : saved.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['draft.steps.0.branches.0.steps.0.config.channelId', 'Choose the channel to post in'],
    ]);
    expect(publishProblems(workflowDocumentSchema.parse(draft))).toContain('“Tell Slack”: Choose the channel to post in.');
  });
});
