import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TriggerLink } from '../../../shared/cloud/trigger-links';
import type { Workflow, WorkflowDocument } from '../../../shared/cloud/workflows';
import type { BuilderOptions } from '../../../shared/ipc/contract-automation';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { initialBuilderState } from './builder-reducer';
import { useAutomation } from './automation-store';
import { AutomationView } from './AutomationView';
import { unsuppliedFields } from './merge-fields';

const fake = installFakeBridge();
const booking: TriggerLink = {
  id: 'tl_1', name: 'Book a consultation', key: 'book_a_consultation', url: 'https://glow.example/book', sent: 0, clicks: 0, contactsClicked: 0,
  lastClickedAt: null, createdAt: '', updatedAt: '',
};
const options: BuilderOptions = { dispositions: [], users: [], teams: [], numbers: [], templates: [], slack: [], triggerLinks: [booking], sendingDomains: null };
const workflow = (draft: WorkflowDocument): Workflow => ({
  id: 'wf_1', accountId: 'acc', name: 'Consult', status: 'draft', draft, publishedVersion: null, hasWebhookSecret: false, createdAt: '', updatedAt: '',
});
const empty: WorkflowDocument = { trigger: null, steps: [], settings: { stopOnResponse: false, allowReentry: false } };

beforeEach(() => {
  fake.calls.length = 0;
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAutomation.setState({ page: 'workflows', workflows: null, open: null, builder: initialBuilderState(), dryRun: null, dryRunFresh: false, error: null, message: null, busy: null, tab: 'builder' });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['automation.options'] = () => options;
  fake.handlers['automation.create'] = () => workflow(empty);
});
afterEach(cleanup);

async function openSmsPanel(action: 'Manual Action to SMS' | 'Send SMS') {
  const user = userEvent.setup();
  render(<AutomationView />);
  await user.type(await screen.findByLabelText('New workflow name'), 'Consult{Enter}');
  await user.selectOptions(await screen.findByLabelText('When'), 'contact_created');
  await user.click(screen.getByRole('button', { name: 'Add the first action' }));
  await user.click(screen.getByRole('button', { name: action }));
  return user;
}

describe('trigger links in text messages', { timeout: 30_000 }, () => {
  it('the Manual SMS message’s tag icon offers the practice’s trigger links by name; one is inserted as its merge field, by keyboard', async () => {
    const user = await openSmsPanel('Manual Action to SMS');
    const message = screen.getByLabelText('Message') as HTMLTextAreaElement;
    await user.type(message, 'Book here: ');
    screen.getByRole('button', { name: 'Custom values for Message' }).focus();
    await user.keyboard('{Enter}');
    const picker = screen.getByRole('group', { name: 'Custom values for Message' });
    const group = within(picker).getByRole('group', { name: 'Trigger links' });
    within(group).getByRole('button', { name: /Book a consultation/ }).focus();
    await user.keyboard('{Enter}');
    expect(message.value).toBe('Book here: {{trigger_link.book_a_consultation}}');
    expect(document.activeElement).toBe(message);
    expect(screen.queryByText(/not one of the practice’s trigger links/)).toBeNull();
    await user.type(screen.getByLabelText('Action Name'), '{Control>}a{/Control}Consult text');
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    expect(screen.getByRole('article', { name: /Step 1: Consult text/ })).toBeTruthy();
  });

  it('a link that is not the practice’s (deleted, mistyped) is warned at the field and refused by Save Action; Publish says why', async () => {
    const user = await openSmsPanel('Send SMS');
    await user.click(screen.getByLabelText('Message'));
    await user.paste('Offers: {{trigger_link.spring_promo}}');
    expect(screen.getByText(/\{\{trigger_link.spring_promo\}\} is not one of the practice’s trigger links/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    const message = screen.getByLabelText('Message');
    expect(message.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/The trigger link \{\{trigger_link.spring_promo\}\} was deleted or does not exist/)).toBeTruthy();
    expect(screen.queryByRole('article', { name: /Step 1/ })).toBeNull();

    // A draft saved while the link lived, opened after it was deleted: Publish names the step and the link.
    useAutomation.getState().dispatch({
      type: 'load',
      doc: { ...empty, trigger: { type: 'contact_created', filters: {} }, steps: [{ id: 's1', name: 'Promo text', type: 'send_sms', config: { templateId: null, message: 'Offers: {{trigger_link.spring_promo}}', attachmentUrls: [], fromNumberId: null } }] },
    });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText(/“Promo text”: The trigger link \{\{trigger_link.spring_promo\}\} was deleted or does not exist/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a field that is not a contact’s text warns for a trigger link typed there; Send Test SMS shows the text as it went', async () => {
    expect(unsuppliedFields('{{trigger_link.book_a_consultation}}', 'contact_created')[0]!.why).toMatch(/only in the message of a Send SMS or Manual SMS step/);
    expect(unsuppliedFields('{{trigger_link.book_a_consultation}}', 'contact_created', null)).toEqual([]); // links not loaded: the cloud checks
    expect(unsuppliedFields('{{trigger_link.book_a_consultation}}', 'contact_created', [{ key: 'book_a_consultation', name: 'Book' }])).toEqual([]);

    fake.handlers['automation.testSms'] = (input) => ({
      sentTo: (input as { to: string }).to, providerId: 'SM1', sampleFields: [], body: '[Test] Book here: http://127.0.0.1:8787/l/AbCdEfGhIjKlMnOp',
    });
    const user = await openSmsPanel('Send SMS');
    await user.click(screen.getByLabelText('Message'));
    await user.paste('Book here: {{trigger_link.book_a_consultation}}');
    await user.type(screen.getByLabelText('Test Phone Number (with country code)'), '+13105550199');
    await user.click(screen.getByRole('button', { name: 'Send Test SMS' }));
    expect((await screen.findByTestId('test-send-body')).textContent).toBe('[Test] Book here: http://127.0.0.1:8787/l/AbCdEfGhIjKlMnOp');
    expect(fake.callsTo('automation.testSms')).toEqual([{ to: '+13105550199', message: 'Book here: {{trigger_link.book_a_consultation}}', fromNumberId: null, attachmentUrls: [] }]);
  });
});
