import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/cloud';
import type { RunStep, Workflow } from '../../../shared/cloud/workflows';
import { useNavigation } from '../../state/navigation';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { ContactsView } from './ContactsView';

const fake = installFakeBridge();
afterEach(cleanup);

const jane = { id: 'k1', accountId: 'a1', name: 'Jane Doe', phone: '+13105552007', email: null, tags: [], assignedUserId: null, seq: 1 } as unknown as Contact;
const workflow = (id: string, name: string, status: Workflow['status']): Workflow => ({
  id, accountId: 'a1', name, status, publishedVersion: status === 'draft' ? null : 1, hasWebhookSecret: false, createdAt: '', updatedAt: '',
  draft: { trigger: { type: 'manual', filters: {} }, steps: [], settings: { stopOnResponse: false, allowReentry: false } },
});
const step = (over: Partial<RunStep>): RunStep => ({
  runId: 'r1', workflowId: 'wf1', version: 1, contactId: 'k1', stepKey: 's1', stepId: 'tag_1', name: 'Add Tag', type: 'add_tag', status: 'completed', attempts: 1,
  input: null, output: null, reason: null, blankFields: [], createdAt: '2026-12-01T10:00:00Z', startedAt: null, finishedAt: '2026-12-01T10:00:01Z', waitUntil: null, durationMs: 5, ...over,
});

beforeEach(() => {
  fake.calls.length = 0;
  useNavigation.setState({ view: 'contacts', focusTarget: null });
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  fake.handlers['search.query'] = () => ({ contacts: [jane], calls: [] });
  fake.handlers['automation.list'] = () => ({ workflows: [workflow('wf1', 'Welcome series', 'published'), workflow('wf2', 'Half built', 'draft')], summaries: [] });
  fake.handlers['automation.log'] = () => [
    step({ stepKey: 's2', stepId: 'sms_1', name: 'Send SMS', type: 'send_sms', status: 'skipped', reason: 'The contact has no mobile number', createdAt: '2026-12-01T10:00:02Z' }),
    step({}),
  ];
  fake.handlers['automation.enrol'] = () => ({ accepted: true });
});

describe('From a contact: workflows', () => {
  it('an admin enrols the contact in a published workflow and sees the contact’s runs step by step', async () => {
    const user = userEvent.setup();
    render(<ContactsView />);
    await user.click(await screen.findByRole('button', { name: 'Workflows of Jane Doe' }));
    const runs = await screen.findByRole('list', { name: 'Workflow runs of Jane Doe' });
    expect(runs.textContent).toMatch(/Welcome series.*Add Tag: Completed.*Send SMS: Skipped.*no mobile number/s);
    const select = screen.getByLabelText('Enrol in a workflow') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Choose a published workflow', 'Welcome series']);
    await user.selectOptions(select, 'wf1');
    await user.click(screen.getByRole('button', { name: 'Enrol' }));
    await screen.findByText('Enrolled Jane Doe in Welcome series: the run starts within moments.');
    expect(fake.callsTo('automation.enrol')).toEqual([{ workflowId: 'wf1', contactId: 'k1' }]);
    expect(fake.callsTo('automation.log')).toEqual([{ contactId: 'k1' }, { contactId: 'k1' }]);
  });

  it('receptionists do not see it', async () => {
    useSession.setState({ session: { status: 'signed-in', user: { id: 'u2', role: 'receptionist' } as never, sessionId: 's' } });
    render(<ContactsView />);
    await screen.findByRole('button', { name: 'Call Jane Doe' });
    expect(screen.queryByRole('button', { name: 'Workflows of Jane Doe' })).toBeNull();
  });
});
