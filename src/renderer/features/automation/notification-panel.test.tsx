import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaFile } from '../../../shared/cloud/media';
import type { WhatsAppSettings, WhatsAppTemplateView } from '../../../shared/cloud/whatsapp';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import type { BuilderOptions } from '../../../shared/ipc/contract-automation';
import { installFakeBridge } from '../../testing/fake-bridge';
import { InternalNotificationPanel, withToUserType } from './notification-panel';

type Config = ActionConfig<'internal_notification'>;

const fake = installFakeBridge();
const options: BuilderOptions = {
  dispositions: [],
  users: [{ id: 'u_maya', name: 'Dr. Maya Chen', email: 'maya@x.test', role: 'admin', phone: '+13105550111' }],
  teams: [{ id: 't_nurses', name: 'Nurses' }],
  numbers: [], slack: [], triggerLinks: [], sendingDomains: null,
  templates: [{ id: 'tpl_lead', accountId: 'acc', channel: 'email', name: 'New lead alert', subject: 'New lead: {{contact.name}}', body: '<p>Call them back today.</p>', version: 1, createdAt: '', updatedAt: '', updatedBy: null }],
};
const template = (over: Partial<WhatsAppTemplateView>): WhatsAppTemplateView => ({
  contentSid: 'HX1', name: 'new_lead', language: 'en', body: 'New lead: {{1}}', variables: { 1: 'name' }, category: 'UTILITY', status: 'approved', rejectionReason: null, syncedAt: '', ...over,
});
const file: MediaFile = {
  id: 'med_1', accountId: 'acc', name: 'Aftercare.pdf', contentType: 'application/pdf', kind: 'document' as MediaFile['kind'], sizeBytes: 10, sha256: 'x',
  url: 'https://cloud.example/media/abc/Aftercare.pdf', durationMs: null, bitrateKbps: null, warning: null, createdAt: '', createdBy: null,
};

beforeEach(() => {
  fake.calls.length = 0;
  fake.handlers['automation.aiWriteStatus'] = () => ({ available: true, reason: null });
  fake.handlers['media.list'] = () => [file];
  fake.handlers['automation.testSms'] = (input) => ({ sentTo: (input as { to: string }).to, providerId: 'SM1', sampleFields: [] });
  const settings: WhatsAppSettings = {
    sender: null, templatesSyncedAt: null,
    templates: [template({}), template({ contentSid: 'HX2', name: 'promo_pending', status: 'pending' })],
  };
  fake.handlers['workflowSettings.whatsApp'] = () => settings;
});
afterEach(cleanup);

/** The panel over a config it edits, as the action panel holds it; `saved.config` is what Save Action would store. */
function Harness(props: { initial: Config; saved: { config: Config } }) {
  const [config, setConfig] = useState(props.initial);
  const change = (next: Config) => {
    props.saved.config = next;
    setConfig(next);
  };
  return (
    <InternalNotificationPanel
      step={{ id: 'n', name: 'Tell the team', type: 'internal_notification', config }} set={(patch) => change({ ...config, ...patch } as Config)} replace={change}
      errors={{}} trigger={null} options={options}
    />
  );
}
const start = (config: unknown) => {
  const parsed = actionConfigSchemas.internal_notification.parse(config);
  const saved = { config: parsed };
  render(<Harness initial={parsed} saved={saved} />);
  return saved;
};

describe('Internal Notification panel', { timeout: 30_000 }, () => {
  it('Email: Write with AI fills the Subject and Message; Add Attachment attaches a media-library file', async () => {
    const user = userEvent.setup();
    fake.handlers['automation.writeWithAi'] = () => ({ subject: 'New lead', body: '<p>A new lead came in.</p>', removedMergeFields: [], model: 'm' });
    const saved = start({ channel: 'email', fromName: '', fromEmail: 'alerts@x.test', toUserType: 'all_users', message: '' });
    const ai = screen.getByRole('button', { name: 'Write with AI' });
    await vi.waitFor(() => expect((ai as HTMLButtonElement).disabled).toBe(false));
    await user.click(ai);
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('Describe the email'), 'Tell the team about a new lead');
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Use Email' }));
    expect(saved.config).toMatchObject({ subject: 'New lead', message: '<p>A new lead came in.</p>' });

    await screen.findByRole('option', { name: 'Aftercare.pdf' });
    await user.selectOptions(screen.getByLabelText('Attach from the media library'), 'med_1');
    await user.click(screen.getByRole('button', { name: 'Attach' }));
    expect(saved.config).toMatchObject({ attachments: [{ name: 'Aftercare.pdf', url: file.url }] });
    expect(within(screen.getByRole('list', { name: 'Attachments' })).getByText(/Aftercare\.pdf/)).toBeTruthy();
  });

  it('Email: choosing a Template fills the Subject and Message from it, to edit there', async () => {
    const user = userEvent.setup();
    const saved = start({ channel: 'email', fromName: '', fromEmail: 'alerts@x.test', toUserType: 'all_users', message: '' });
    await user.selectOptions(screen.getByLabelText('Template'), 'tpl_lead');
    expect(saved.config).toMatchObject({ templateId: 'tpl_lead', subject: 'New lead: {{contact.name}}', message: '<p>Call them back today.</p>' });
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('<p>Call them back today.</p>');
  });

  it('SMS: Write with AI, a link to a media-library file, and Send Test SMS to a Test Phone Number', async () => {
    const user = userEvent.setup();
    fake.handlers['automation.writeWithAi'] = () => ({ subject: null, body: 'New lead: call them back', removedMergeFields: [], model: 'm' });
    const saved = start({ channel: 'sms', toUserType: 'all_users', message: 'x' });
    const ai = screen.getByRole('button', { name: 'Write with AI' });
    await vi.waitFor(() => expect((ai as HTMLButtonElement).disabled).toBe(false));
    await user.click(ai);
    await user.type(within(screen.getByRole('dialog')).getByLabelText('Describe the text'), 'A new lead alert');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Generate' }));
    await user.click(await within(screen.getByRole('dialog')).findByRole('button', { name: 'Use Text' }));
    expect(saved.config).toMatchObject({ message: 'New lead: call them back' });

    await screen.findByRole('option', { name: 'Aftercare.pdf' });
    await user.selectOptions(screen.getByLabelText('Or a file from the media library'), 'med_1');
    await user.click(screen.getByRole('button', { name: 'Add its link' }));
    expect(saved.config).toMatchObject({ attachmentUrls: [file.url] });

    await user.type(screen.getByLabelText('Test Phone Number (with country code)'), '+13105550199');
    await user.click(screen.getByRole('button', { name: 'Send Test SMS' }));
    await screen.findByText('Sent to +13105550199.');
    // The test previews the text as a run sends it: with the attachment's link.
    expect(fake.callsTo('automation.testSms')).toEqual([{ to: '+13105550199', message: 'New lead: call them back', fromNumberId: null, attachmentUrls: [file.url] }]);
  });

  it('WhatsApp: the template is picked from the practice’s approved templates only, and stored by its Content SID', async () => {
    const user = userEvent.setup();
    const saved = start({ channel: 'whatsapp', toUserType: 'all_users', templateName: 'x', message: '' });
    const picker = screen.getByLabelText('Templates');
    await screen.findByRole('option', { name: 'new_lead (en)' });
    expect(screen.queryByRole('option', { name: /promo_pending/ })).toBeNull();
    // What the step held before is shown as it is, and said to be unusable.
    expect((picker as HTMLSelectElement).value).toBe('x');
    expect(screen.getByText(/not among the approved ones/)).toBeTruthy();
    await user.selectOptions(picker, 'HX1');
    expect(saved.config).toMatchObject({ templateName: 'HX1' });
    expect(screen.getByText(/Template text: New lead: \{\{1\}\}/)).toBeTruthy();
  });

  it('WhatsApp: a step that names its template by name shows that template as chosen', async () => {
    start({ channel: 'whatsapp', toUserType: 'all_users', templateName: 'new_lead', message: '' });
    await screen.findByRole('option', { name: 'new_lead (en)' });
    expect((screen.getByLabelText('Templates') as HTMLSelectElement).value).toBe('HX1');
    expect(screen.queryByText(/not among the approved ones/)).toBeNull();
  });

  it('in-app: Teams and Roles are offered only under Particular Users, the only type that uses them', async () => {
    const user = userEvent.setup();
    const saved = start({ channel: 'in_app', title: 'New lead', message: '', toUserType: 'all_users' });
    expect(screen.queryByRole('group', { name: 'Teams' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Roles' })).toBeNull();
    await user.selectOptions(screen.getByLabelText('To User Type'), 'particular_users');
    await user.click(within(screen.getByRole('group', { name: 'Teams' })).getByLabelText('Nurses'));
    await user.click(within(screen.getByRole('group', { name: 'Roles' })).getByLabelText('Admins'));
    expect(saved.config).toMatchObject({ toUserType: 'particular_users', teamIds: ['t_nurses'], roles: ['admin'] });
    // Under another type they would be ignored: they are neither shown nor kept.
    await user.selectOptions(screen.getByLabelText('To User Type'), 'assigned_user');
    expect(screen.queryByRole('group', { name: 'Teams' })).toBeNull();
    expect(saved.config).toMatchObject({ toUserType: 'assigned_user', userIds: [], teamIds: [], roles: [] });
  });

  it('a new To User Type drops the recipients only the old one used', () => {
    const email = actionConfigSchemas.internal_notification.parse({ channel: 'email', fromName: '', fromEmail: 'a@x.test', toUserType: 'custom_email', customEmails: ['a@x.test'], message: '' });
    expect(withToUserType(email, 'all_users')).toMatchObject({ toUserType: 'all_users', customEmails: [] });
    const sms = actionConfigSchemas.internal_notification.parse({ channel: 'sms', toUserType: 'particular_users', userIds: ['u_maya'], message: 'x' });
    expect(withToUserType(sms, 'particular_users')).toEqual(sms);
    expect(withToUserType(sms, 'all_users')).toMatchObject({ userIds: [] });
  });
});
