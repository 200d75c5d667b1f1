import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeBridge } from '../../testing/fake-bridge';
import { DemoInboxView } from './DemoInboxView';
import { codeIn } from './demo-inbox-actions';

const fake = installFakeBridge();
afterEach(cleanup);

describe('Demo inbox', () => {
  it('shows the messages the demo practice sent, newest first, with the code picked out', async () => {
    fake.handlers['demoInbox.list'] = () => ({
      available: true,
      reason: null,
      messages: [
        { id: 'email:2', channel: 'email', to: 'jordan@glowmedspa.example', subject: 'Your Aesthetix verification code', body: 'Your code is 482913.', sentAt: '2026-12-01T17:05:00.000Z' },
        { id: 'sms:SM1', channel: 'sms', to: '+13105550177', subject: null, body: 'Aesthetix: a phone number change is waiting.', sentAt: '2026-12-01T17:00:00.000Z' },
        { id: 'slack:C1:1.2', channel: 'slack', to: '#front-desk', subject: null, body: '[Test] New lead waiting', sentAt: '2026-12-01T16:55:00.000Z' },
      ],
    });
    render(<DemoInboxView />);
    const list = await screen.findByRole('list', { name: 'Messages sent, newest first' });
    const items = list.querySelectorAll('li');
    expect(items).toHaveLength(3);
    expect(items[0]!.textContent).toContain('Email to jordan@glowmedspa.example');
    expect(screen.getByTestId('demo-code').textContent).toBe('482913');
    expect(items[1]!.textContent).toContain('Text to +13105550177');
    expect(items[2]!.textContent).toContain('Slack to #front-desk');
    expect(items[2]!.textContent).toContain('[Test] New lead waiting');
    expect(fake.callsTo('demoInbox.list')[0]).toEqual({ limit: 20 });
  });

  it('with a real cloud, says why there is no inbox', async () => {
    fake.handlers['demoInbox.list'] = () => ({ available: false, reason: 'This app is connected to a real cloud.', messages: [] });
    render(<DemoInboxView />);
    expect(await screen.findByText('This app is connected to a real cloud.')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('an empty inbox says how to fill it', async () => {
    fake.handlers['demoInbox.list'] = () => ({ available: true, reason: null, messages: [] });
    render(<DemoInboxView />);
    expect(await screen.findByText(/Nothing sent yet/)).toBeTruthy();
  });

  it('Reply on a workflow email answers it as the contact, by keyboard, and says whether it counted; emails without a Message-ID, texts and Slack have none', async () => {
    fake.handlers['demoInbox.list'] = () => ({
      available: true,
      reason: null,
      messages: [
        { id: 'email:0002-1.eml', channel: 'email', to: 'bea@example.com', subject: 'Thanks for booking with us', body: 'Hi Bea', sentAt: '2026-12-01T17:05:00.000Z', canReply: true },
        { id: 'email:0001-1.eml', channel: 'email', to: 'jordan@glowmedspa.example', subject: 'Code', body: 'Your code is 482913.', sentAt: '2026-12-01T17:00:00.000Z', canReply: false },
        { id: 'sms:SM1', channel: 'sms', to: '+13105550177', subject: null, body: 'Hi', sentAt: '2026-12-01T16:00:00.000Z' },
      ],
    });
    const replies = [{ matched: true, duplicate: false }, { matched: false, duplicate: false }];
    fake.handlers['demoInbox.reply'] = () => replies.shift();
    const user = userEvent.setup();
    render(<DemoInboxView />);
    const list = await screen.findByRole('list', { name: 'Messages sent, newest first' });
    expect(within(list).getAllByRole('button', { name: 'Reply' })).toHaveLength(1);
    const reply = within(list).getByRole('button', { name: 'Reply' });
    reply.focus();
    await user.keyboard('{Enter}');
    const field = screen.getByRole('textbox', { name: 'Reply as bea@example.com' });
    expect(document.activeElement).toBe(field);
    await user.clear(field);
    await user.keyboard('Can I come Thursday?');
    await user.tab();
    await user.keyboard('{Enter}');
    expect(await screen.findByText(/Replied is counted on that Send Email step/)).toBeTruthy();
    expect(fake.callsTo('demoInbox.reply')).toEqual([{ id: 'email:0002-1.eml', text: 'Can I come Thursday?' }]);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Reply' }));

    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText(/answers no email a workflow sent/)).toBeTruthy();
  });

  it('a refused reply is said plainly and the form stays open with the text', async () => {
    fake.handlers['demoInbox.list'] = () => ({
      available: true,
      reason: null,
      messages: [{ id: 'email:0002-1.eml', channel: 'email', to: 'bea@example.com', subject: 'Hi', body: 'Hi', sentAt: '2026-12-01T17:05:00.000Z', canReply: true }],
    });
    fake.handlers['demoInbox.reply'] = () => {
      throw Object.assign(new Error('The reply was not sent: The cloud refused the reply (403)'), { code: 'DEMO_REPLY_FAILED' });
    };
    const user = userEvent.setup();
    render(<DemoInboxView />);
    await user.click(await screen.findByRole('button', { name: 'Reply' }));
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText(/The cloud refused the reply \(403\)/)).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Reply as bea@example.com' }) as HTMLTextAreaElement).value).toBe('Thanks — see you then!');
  });

  it('picks out a 6-digit code only', () => {
    expect(codeIn('Your code is 482913. It expires in 10 minutes.')).toBe('482913');
    expect(codeIn('Call +13105550177 back')).toBeNull();
  });
});
