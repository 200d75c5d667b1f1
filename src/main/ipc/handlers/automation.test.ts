import { describe, expect, it } from 'vitest';
import { AI_TIMEOUT_MAX_MS } from '../../../shared/cloud/ai-write';
import { workflowLogQuerySchema } from '../../../shared/ipc/contract-automation';
import { CloudError } from '../../cloud-client/cloud-client';
import { automationHandlers } from './automation';

describe('automation.log', () => {
  it('asks the cloud to filter by action type (or step id) and by the day range, and keeps nothing back itself', async () => {
    const paths: string[] = [];
    const handlers = automationHandlers({
      session: { user: { role: 'admin' } as never, authed: (fn) => fn('token') },
      api: { call: (async (_t: string, _m: string, path: string) => (paths.push(path), [])) as never },
    });
    const sender = { id: 1, isMainFrame: true, frameUrl: 'app://x' };
    await handlers['automation.log']({ workflowId: 'wf_1', stepType: 'send_email', from: '2026-11-01', to: '2026-11-03' }, sender);
    await handlers['automation.log']({ stepType: 'welcome_1', status: 'error' }, sender);
    await handlers['automation.log']({ workflowId: 'wf_1', olderThan: '1234' }, sender);
    expect(paths.map((p) => Object.fromEntries(new URLSearchParams(p.split('?')[1])))).toEqual([
      { limit: '500', workflowId: 'wf_1', type: 'send_email', since: '2026-11-01T00:00:00.000Z', before: '2026-11-04T00:00:00.000Z' },
      { limit: '500', status: 'error', stepId: 'welcome_1' },
      { limit: '500', workflowId: 'wf_1', olderThan: '1234' },
    ]);
  });

  it('refuses a date that is not a day', () => {
    expect(workflowLogQuerySchema.safeParse({ from: 'yesterday' }).success).toBe(false);
    expect(workflowLogQuerySchema.safeParse({ to: '2026-13-45' }).success).toBe(false);
    expect(workflowLogQuerySchema.safeParse({ from: '2026-02-03' }).success).toBe(true);
    expect(workflowLogQuerySchema.safeParse({ olderThan: '1 OR 1=1' }).success).toBe(false);
  });
});

describe('automation.writeWithAi', () => {
  it('waits longer than any cloud waits for its AI service, so a slow AI is reported in the cloud’s words', async () => {
    const seen: unknown[] = [];
    const handlers = automationHandlers({
      session: { user: { role: 'admin' } as never, authed: (fn) => fn('token') },
      api: { call: (async (_t: string, _m: string, _p: string, _b: unknown, _s: unknown, options: unknown) => (seen.push(options), { subject: null, body: 'Hi', removedMergeFields: [], model: 'm' })) as never },
    });
    await handlers['automation.writeWithAi']({ channel: 'sms', prompt: 'A reminder', tone: 'neutral', customValues: [] }, { id: 1, isMainFrame: true, frameUrl: 'app://x' });
    expect(seen).toEqual([{ timeoutMs: expect.any(Number) }]);
    expect((seen[0] as { timeoutMs: number }).timeoutMs).toBeGreaterThan(AI_TIMEOUT_MAX_MS);
  });
});

describe('automation.statisticRecipients', () => {
  it('asks the cloud for one statistic of one step from the page offset, with both ids escaped into the path', async () => {
    const paths: string[] = [];
    const handlers = automationHandlers({
      session: { user: { role: 'admin' } as never, authed: (fn) => fn('token') },
      api: { call: (async (_t: string, _m: string, path: string) => (paths.push(path), { total: 0, recipients: [] })) as never },
    });
    const sender = { id: 1, isMainFrame: true, frameUrl: 'app://x' };
    await handlers['automation.statisticRecipients']({ workflowId: 'wf_1', stepId: 'email', metric: 'opened' }, sender);
    await handlers['automation.statisticRecipients']({ workflowId: 'wf_1', stepId: 'a/b', metric: 'delivered', offset: 50 }, sender);
    expect(paths).toEqual(['/v1/workflows/wf_1/statistics/email/opened?offset=0', '/v1/workflows/wf_1/statistics/a%2Fb/delivered?offset=50']);
  });
});

describe('automation.options', () => {
  it('offers the practice’s trigger links to the SMS pickers; a cloud without them leaves that picker empty', async () => {
    const link = { id: 'tl_1', name: 'Book', key: 'book', url: 'https://glow.example/book', sent: 0, clicks: 0, contactsClicked: 0, lastClickedAt: null, createdAt: '', updatedAt: '' };
    let linksAnswer: () => unknown = () => [link];
    const handlers = automationHandlers({
      session: { user: { role: 'admin' } as never, authed: (fn) => fn('token') },
      api: { call: (async (_t: string, _m: string, path: string) => (path === '/v1/trigger-links' ? linksAnswer() : [])) as never },
    });
    const sender = { id: 1, isMainFrame: true, frameUrl: 'app://x' };
    expect((await handlers['automation.options'](undefined, sender)).triggerLinks).toEqual([link]);
    linksAnswer = () => {
      throw new CloudError(404, 'ROUTE_NOT_FOUND', 'no route');
    };
    expect((await handlers['automation.options'](undefined, sender)).triggerLinks).toEqual([]);
  });
});
