import { describe, expect, it } from 'vitest';
import { actionConfigSchemas } from './workflow-actions';
import { stepSchema } from './workflows';

/** What Save Action shows under each field: the issue's message keyed by its path. */
function slackIssues(config: Record<string, unknown>): Record<string, string> {
  const parsed = actionConfigSchemas.slack.safeParse({ connectionId: 'slk_1', message: 'New lead {{contact.name}}', ...config });
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
}

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
    const parsed = stepSchema.safeParse({ id: 'slack', name: 'Tell Slack', type: 'slack', config: { connectionId: 'slk_1', event: 'public_channel', message: 'x' } });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['config.channelId', 'Choose the channel to post in']]);
  });
});
