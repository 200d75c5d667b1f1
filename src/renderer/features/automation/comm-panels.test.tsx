import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { installFakeBridge } from '../../testing/fake-bridge';
import { ActionPanel } from './ActionPanel';
import { newStep } from './action-catalog';
import { CallPanel, SendEmailPanel, SlackPanel } from './comm-panels';

installFakeBridge();
afterEach(cleanup);

describe('CallPanel', () => {
  it('rings the assigned user’s softphone by default; the admin can choose the phone on their profile', async () => {
    const set = vi.fn();
    const config = actionConfigSchemas.call.parse({ timeoutSeconds: 20 });
    render(<CallPanel step={{ id: 'c', name: 'Call', type: 'call', config }} set={set} replace={vi.fn()} errors={{}} trigger={null} options={null} />);
    const ring = screen.getByLabelText('Ring the assigned user on');
    expect((ring as HTMLSelectElement).value).toBe('softphone');
    await userEvent.selectOptions(ring, 'phone');
    expect(set).toHaveBeenCalledWith({ ringUser: 'phone' });
  });
});

type SlackConfig = ActionConfig<'slack'>;

/** The Slack panel over a config it edits, as the action panel holds it; `saved.config` is what Save Action would store. */
function SlackHarness(props: { initial: SlackConfig; saved: { config: SlackConfig } }) {
  const [config, setConfig] = useState(props.initial);
  const change = (next: SlackConfig) => {
    props.saved.config = next;
    setConfig(next);
  };
  return <SlackPanel step={{ id: 's', name: 'Slack', type: 'slack', config }} set={(patch) => change({ ...config, ...patch })} replace={change} errors={{}} trigger={null} options={null} />;
}

describe('SlackPanel', () => {
  it('Send Direct Message: the User Source the panel shows (Assigned User) is the one the step stores', async () => {
    const user = userEvent.setup();
    const start = newStep('slack', 'slack_1');
    if (start.type !== 'slack') throw new Error('not a Slack step');
    const saved = { config: start.config };
    render(<SlackHarness initial={{ ...start.config, connectionId: 'slk_1', message: 'New lead' }} saved={saved} />);
    await user.selectOptions(screen.getByLabelText('Event'), 'direct_message');
    expect((screen.getByLabelText('User Source') as HTMLSelectElement).value).toBe('assigned_user');
    expect(saved.config.userSource).toBe('assigned_user');
    // A source the admin chose stays when the event goes to a channel and back.
    await user.selectOptions(screen.getByLabelText('User Source'), 'custom_email');
    await user.selectOptions(screen.getByLabelText('Event'), 'public_channel');
    await user.selectOptions(screen.getByLabelText('Event'), 'direct_message');
    expect(saved.config.userSource).toBe('custom_email');
  });

  it('a channel chosen for one kind of channel is not kept for the other (their lists differ)', async () => {
    const user = userEvent.setup();
    const saved = { config: actionConfigSchemas.slack.parse({ connectionId: 'slk_1', event: 'private_channel', channelId: 'C_PRIVATE', message: 'x' }) };
    render(<SlackHarness initial={saved.config} saved={saved} />);
    await user.selectOptions(screen.getByLabelText('Event'), 'public_channel');
    expect(saved.config).toMatchObject({ event: 'public_channel', channelId: undefined });
  });

  it('a direct message saved before its User Source was stored opens showing Assigned User, and Save Action stores it', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn();
    // As stored before the fix (not parsed: the schema may now refuse a direct message without a source).
    const legacy = { id: 'slack_1', name: 'Tell the owner', type: 'slack' as const, config: { connectionId: 'slk_1', event: 'direct_message', message: 'New lead' } as SlackConfig };
    render(<ActionPanel editing={legacy} onSave={onSave} onClose={vi.fn()} />);
    expect((screen.getByLabelText('User Source') as HTMLSelectElement).value).toBe('assigned_user');
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    expect(onSave).toHaveBeenCalledWith({ ...legacy, config: { ...legacy.config, userSource: 'assigned_user' } });
  });
});

type EmailConfig = ActionConfig<'send_email'>;

/** The Send Email panel over a config it edits; `saved.config` is what Save Action would store. */
function EmailHarness(props: { saved: { config: EmailConfig } }) {
  const [config, setConfig] = useState(props.saved.config);
  const set = (patch: Partial<EmailConfig>) => {
    props.saved.config = { ...config, ...patch };
    setConfig(props.saved.config);
  };
  return <SendEmailPanel step={{ id: 'e', name: 'Email', type: 'send_email', config }} set={set} replace={vi.fn()} errors={{}} trigger={null} options={null} />;
}

describe('SendEmailPanel Cc/Bcc', () => {
  it('takes an address with an international domain as typed, and says which typed addresses mail cannot go to', async () => {
    const user = userEvent.setup();
    const saved = { config: actionConfigSchemas.send_email.parse({ fromName: 'Glow', fromEmail: 'hello@glowmedspa.example', subject: 'Hi', body: 'Hi' }) };
    render(<EmailHarness saved={saved} />);
    await user.click(screen.getByRole('button', { name: 'Cc' }));
    const cc = screen.getByLabelText('Cc');
    await user.type(cc, 'anna@bücher.de');
    expect(saved.config.cc).toEqual(['anna@bücher.de']);
    expect(cc.getAttribute('aria-describedby') ?? '').not.toMatch(/caution/);
    expect(screen.queryByText(/Skipped when the step runs/)).toBeNull();
    expect(actionConfigSchemas.send_email.safeParse(saved.config).success).toBe(true);

    // (user-event: '{{' types one '{'.)
    await user.type(cc, ', jürgen@bücher.de, {{{{contact.custom_fields.partner}}');
    const warning = screen.getByText(/Skipped when the step runs/);
    expect(warning.textContent).toMatch(/^jürgen@bücher\.de cannot be emailed: only the part after the @ may have international letters/);
    expect(warning.textContent).not.toMatch(/anna@|contact\.custom_fields/);
    expect(cc.getAttribute('aria-describedby')).toContain(warning.id);

    await user.click(screen.getByRole('button', { name: 'Bcc' }));
    await user.type(screen.getByLabelText('Bcc'), 'not-an-address');
    expect(screen.getByText('not-an-address is not an email address. Skipped when the step runs.')).toBeTruthy();
  });
});
