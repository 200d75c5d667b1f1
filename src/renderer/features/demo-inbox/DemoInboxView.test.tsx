import { cleanup, render, screen } from '@testing-library/react';
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

  it('picks out a 6-digit code only', () => {
    expect(codeIn('Your code is 482913. It expires in 10 minutes.')).toBe('482913');
    expect(codeIn('Call +13105550177 back')).toBeNull();
  });
});
