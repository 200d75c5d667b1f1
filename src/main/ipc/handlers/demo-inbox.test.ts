import { describe, expect, it } from 'vitest';
import type { EmbeddedStack } from '../../embedded';
import type { IpcSender } from '../router';
import { demoInboxHandlers } from './demo-inbox';

const sender: IpcSender = { id: 1, isMainFrame: true, frameUrl: 'app://softphone/index.html' };

describe('demoInbox.list', () => {
  it('with a real cloud: no inbox, and the reason in plain words', async () => {
    const result = await demoInboxHandlers({ embedded: undefined })['demoInbox.list'](undefined, sender);
    expect(result).toEqual({ available: false, reason: expect.stringContaining('real cloud'), messages: [] });
  });

  it('in the embedded default: the stack’s newest messages, as many as asked (20 by default)', async () => {
    const asked: number[] = [];
    const message = { id: 'email:1', channel: 'email' as const, to: 'jordan@glowmedspa.example', subject: 'Code', body: 'Your code is 1', sentAt: '2026-12-01T17:00:00.000Z' };
    const embedded = { recentMessages: async (limit: number) => (asked.push(limit), [message]) } as unknown as EmbeddedStack;
    const handlers = demoInboxHandlers({ embedded });
    expect(await handlers['demoInbox.list'](undefined, sender)).toEqual({ available: true, reason: null, messages: [message] });
    await handlers['demoInbox.list']({ limit: 5 }, sender);
    expect(asked).toEqual([20, 5]);
  });
});
