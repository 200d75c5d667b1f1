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

  it('demoInbox.reply: the stack posts it; with a real cloud, or when the cloud refuses it, the user is told plainly', async () => {
    const posted: unknown[] = [];
    const embedded = {
      replyToEmail: async (input: unknown) => (posted.push(input), { matched: true, duplicate: false }),
    } as unknown as EmbeddedStack;
    expect(await demoInboxHandlers({ embedded })['demoInbox.reply']({ id: 'email:0001-1.eml', text: 'Hi' }, sender)).toEqual({ matched: true, duplicate: false });
    expect(posted).toEqual([{ id: 'email:0001-1.eml', text: 'Hi' }]);
    await expect(demoInboxHandlers({ embedded: undefined })['demoInbox.reply']({ id: 'email:0001-1.eml', text: 'Hi' }, sender)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const refusing = { replyToEmail: async () => Promise.reject(new Error('The cloud refused the reply (403)')) } as unknown as EmbeddedStack;
    await expect(demoInboxHandlers({ embedded: refusing })['demoInbox.reply']({ id: 'email:0001-1.eml', text: 'Hi' }, sender)).rejects.toMatchObject({
      code: 'DEMO_REPLY_FAILED', message: 'The reply was not sent: The cloud refused the reply (403)',
    });
  });
});
