import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DryRunReport } from '../../../shared/cloud/workflow-builder';
import type { Workflow, WorkflowDocument } from '../../../shared/cloud/workflows';
import type { BuilderOptions } from '../../../shared/ipc/contract-automation';
import { useNavigation } from '../../state/navigation';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { initialBuilderState } from './builder-reducer';
import { useAutomation } from './automation-store';
import { AutomationView } from './AutomationView';

const fake = installFakeBridge();
const options: BuilderOptions = {
  dispositions: [{ id: 'd_spam', accountId: 'acc', label: 'Spam call', position: 0, seq: 1, deletedAt: null }],
  users: [{ id: 'u1', name: 'Avery Admin', email: 'a@x.test', role: 'admin', phone: null }],
  teams: [], numbers: [], templates: [], slack: [], triggerLinks: [],
  sendingDomains: [{ id: 'sdm_1', domain: 'glow.test', display: 'glow.test', status: 'verified', failure: null, lastCheckNote: null, strictAlignment: false, records: [], lastCheckedAt: null, verifiedAt: '2026-12-01T00:00:00Z', createdAt: '' }],
};
const workflow = (draft: WorkflowDocument, over: Partial<Workflow> = {}): Workflow => ({
  id: 'wf_1', accountId: 'acc', name: 'Block spam', status: 'draft', draft, publishedVersion: null, hasWebhookSecret: false, createdAt: '', updatedAt: '', ...over,
});
const report = (over: Partial<DryRunReport> = {}): DryRunReport => ({
  from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', eventsConsidered: 4, entries: 2, contacts: 2,
  steps: [{ stepId: 'dnd_1', name: 'Enable/Disable DND', type: 'dnd', reached: 2, failures: [], blankFields: [] }], problems: [], canPublish: true, notes: [], ...over,
});

/** The Automation tab: a new workflow on Appointment Booked with the Send Email panel open. */
async function sendEmailPanelOfNewWorkflow() {
  const user = userEvent.setup();
  render(<AutomationView />);
  await user.type(await screen.findByLabelText('New workflow name'), 'Booking{Enter}');
  await user.selectOptions(await screen.findByLabelText('When'), 'appointment_booked');
  await user.click(screen.getByRole('button', { name: 'Add the first action' }));
  await user.click(screen.getByRole('button', { name: 'Send Email' }));
  return user;
}

let saved: WorkflowDocument | null = null;
beforeEach(() => {
  fake.calls.length = 0;
  saved = null;
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAutomation.setState({ workflows: null, open: null, builder: initialBuilderState(), dryRun: null, dryRunFresh: false, error: null, message: null, busy: null, tab: 'builder' });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['automation.options'] = () => options;
  fake.handlers['automation.create'] = (input) => workflow({ trigger: null, steps: [], settings: { stopOnResponse: false, allowReentry: false } }, { name: (input as { name: string }).name });
  fake.handlers['automation.save'] = (input) => {
    saved = (input as { draft: WorkflowDocument }).draft;
    return workflow(saved);
  };
  fake.handlers['automation.dryRun'] = () => report();
  fake.handlers['automation.publish'] = () => workflow(saved!, { status: 'published', publishedVersion: 1 });
});
afterEach(cleanup);

// userEvent drives many fields per test: a loaded 2-core machine needs more than the default 5 s.
describe('Automation tab', { timeout: 30_000 }, () => {
  it('builds "Spam call → inbound DND" and publishes only after a dry run of the document as it is', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    await screen.findByText(/No workflows yet/);
    await user.type(screen.getByLabelText('New workflow name'), 'Block spam{Enter}');
    await user.selectOptions(await screen.findByLabelText('When'), 'call_details');
    await user.click(screen.getByLabelText('Spam call'));
    await user.click(screen.getByRole('button', { name: 'Add the first action' }));
    await user.click(screen.getByRole('button', { name: 'Enable/Disable DND' }));
    await user.selectOptions(within(screen.getByRole('dialog', { hidden: true })).getByLabelText('Direction'), 'inbound');
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    expect(screen.getByRole('article', { name: /Step 1: Enable\/Disable DND/ })).toBeTruthy();

    const publish = screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement;
    expect(publish.disabled).toBe(true);
    expect(screen.getByText('Publishing needs a dry run of the workflow as it is now.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Dry run (last 30 days)' }));
    await screen.findByText(/would have entered/);
    expect(screen.getByText(/would have entered/).textContent).toMatch(/2 contacts would have entered \(2 entries from 4 events/);
    await waitFor(() => expect(publish.disabled).toBe(false));
    await user.click(publish);
    await screen.findByText(/Published Block spam \(version 1\)/, { selector: '.automation-message' });
    expect(saved).toEqual({
      trigger: { type: 'call_details', filters: { dispositionIds: ['d_spam'] } },
      steps: [{ id: 'dnd_1', name: 'Enable/Disable DND', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: [] } }],
      settings: { stopOnResponse: false, allowReentry: false },
    });
    // An edit after the dry run needs a new one.
    await user.click(screen.getByLabelText(/Allow re-entry/));
    expect(publish.disabled).toBe(true);
  });

  it('validates inline, warns for merge fields the trigger cannot fill, and blocks publishing on a dry run problem', async () => {
    fake.handlers['automation.dryRun'] = () => report({ canPublish: false, problems: [{ path: 'draft.trigger', message: 'The disposition this workflow names (d_old) no longer exists', blocking: true }] });
    const user = userEvent.setup();
    render(<AutomationView />);
    await user.type(await screen.findByLabelText('New workflow name'), 'Booking confirmation{Enter}');
    await user.selectOptions(await screen.findByLabelText('When'), 'call_details');
    await user.click(screen.getByRole('button', { name: 'Add the first action' }));
    await user.click(screen.getByRole('button', { name: 'Send Email' }));
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    const fromEmail = screen.getByLabelText('From Email');
    expect(fromEmail.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/Fix the field marked above/);
    await user.type(fromEmail, 'desk@glow.test');
    await user.click(screen.getByRole('button', { name: 'Custom values for Subject' }));
    const picker = screen.getByRole('group', { name: 'Custom values for Subject' });
    expect(within(picker).queryByText('{{appointment.start_time}}')).toBeNull();
    await user.click(within(picker).getByText('{{contact.first_name}}'));
    expect((screen.getByLabelText('Subject') as HTMLInputElement).value).toBe('{{contact.first_name}}');
    await user.click(screen.getByLabelText('Message'));
    await user.paste('See you at {{appointment.start_time}}');
    expect(screen.getByText(/needs an appointment trigger: with this trigger it will be blank/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    expect(screen.getByRole('article', { name: /Step 1: Send Email/ })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Dry run (last 30 days)' }));
    await screen.findByText(/no longer exists/);
    expect((screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('Send Test Mail sends the panel as it is to the typed address and says where it went; a refusal is shown plainly', async () => {
    fake.handlers['automation.testEmail'] = (input) => ({ sentTo: (input as { to: string }).to, providerId: 'm1', sampleFields: ['contact.first_name'] });
    const user = await sendEmailPanelOfNewWorkflow();
    await user.type(screen.getByLabelText('From Email'), 'desk@glow.test');
    await user.type(screen.getByLabelText('Subject'), 'Thanks');
    await user.type(screen.getByLabelText('Test email address'), 'me@glow.test');
    await user.click(screen.getByRole('button', { name: 'Send Test Mail' }));
    await screen.findByText(/Sent to me@glow.test\. Custom values were filled with sample values \(\{\{contact.first_name\}\}\)/);
    expect(fake.callsTo('automation.testEmail')).toEqual([{ to: 'me@glow.test', fromName: '', fromEmail: 'desk@glow.test', subject: 'Thanks', body: '' }]);
    fake.handlers['automation.testEmail'] = () => {
      throw Object.assign(new Error('No mail server is configured for this cloud (SMTP_HOST): test emails cannot be sent.'), { code: 'CONFLICT' });
    };
    await user.click(screen.getByRole('button', { name: 'Send Test Mail' }));
    await screen.findByText(/No mail server is configured/);
  });

  it('From Email off the verified domains: the panel says so beside the field, the builder names the step, Publish waits, and the link opens Settings → Email sending', async () => {
    fake.handlers['automation.testEmail'] = () => {
      throw Object.assign(new Error('desk@other.test is not on a sending domain of this practice: connect and verify other.test under Settings → Email sending.'), { code: 'VALIDATION_FAILED' });
    };
    const user = await sendEmailPanelOfNewWorkflow();
    const fromEmail = screen.getByLabelText('From Email');
    await user.type(fromEmail, 'desk@glow.test');
    expect(screen.getByText('glow.test is a verified sending domain of the practice.')).toBeTruthy();
    await user.clear(fromEmail);
    await user.type(fromEmail, 'desk@other.test');
    const warning = screen.getByText('desk@other.test is not on a sending domain of this practice: connect and verify other.test under Settings → Email sending.');
    expect(fromEmail.getAttribute('aria-describedby')?.split(' ')).toContain(warning.id);
    // Send Test Mail shows the cloud's refusal in the same words.
    await user.type(screen.getByLabelText('Test email address'), 'me@glow.test');
    await user.click(screen.getByRole('button', { name: 'Send Test Mail' }));
    expect((await screen.findAllByText(/connect and verify other\.test under Settings → Email sending\./)).length).toBe(2);
    // The step can still be kept in the draft; the builder names it and Publish waits for the domain.
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    expect(screen.getByRole('article', { name: /Step 1: Send Email/ })).toBeTruthy();
    expect(screen.getByText('“Send Email”: desk@other.test is not on a sending domain of this practice: connect and verify other.test under Settings → Email sending.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Dry run (last 30 days)' }));
    expect(await screen.findByText('Publishing waits for a verified sending domain (below).')).toBeTruthy();
    const publishButton = screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement;
    expect(publishButton.disabled).toBe(true);
    expect(publishButton.getAttribute('aria-describedby')).toBe('publish-why domain-why');
    await user.click(screen.getByRole('button', { name: 'Open Settings → Email sending' }));
    expect(useNavigation.getState()).toMatchObject({ view: 'settings', settingsPage: 'email' });
  });

  it('lists workflows with their 7-day figures and deletes one letting its runs finish', async () => {
    const w = workflow({ trigger: { type: 'contact_created', filters: {} }, steps: [], settings: { stopOnResponse: false, allowReentry: false } }, { status: 'published', publishedVersion: 2 });
    fake.handlers['automation.list'] = () => ({ workflows: [w], summaries: [{ workflowId: 'wf_1', runs7d: 12, errors7d: 3, activeRuns: 4 }] });
    fake.handlers['automation.delete'] = () => ({ deleted: true });
    const user = userEvent.setup();
    render(<AutomationView />);
    const row = (await screen.findByRole('button', { name: 'Block spam' })).closest('tr')!;
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Contact Created', 'Published', '12', '3', 'DuplicatePauseDelete']);
    await user.click(within(row).getByRole('button', { name: 'Delete Block spam' }));
    expect(screen.getByText('4 runs in progress')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Delete workflow' }));
    await waitFor(() => expect(fake.callsTo('automation.delete')).toEqual([{ workflowId: 'wf_1', inProgress: 'finish' }]));
  });
});
