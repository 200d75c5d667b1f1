import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageTemplate } from '../../../../shared/cloud/templates';
import { useSession } from '../../../state/session';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { useAutomation } from '../automation-store';
import { AutomationView } from '../AutomationView';
import { describeUsage } from './TemplateUsageNote';

const fake = installFakeBridge();
const template = (over: Partial<MessageTemplate>): MessageTemplate => ({
  id: 't1', accountId: 'acc', channel: 'email', name: 'Booking confirmation', subject: 'See you soon', body: '<p>Hi</p>', version: 3,
  createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-02T10:00:00Z', updatedBy: 'u1', ...over,
});

let templates: MessageTemplate[];
beforeEach(() => {
  fake.calls.length = 0;
  templates = [template({})];
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAutomation.setState({ page: 'templates', open: null, error: null, message: null });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['automation.options'] = () => ({ dispositions: [], users: [], teams: [], numbers: [], templates, slack: [] });
  fake.handlers['workflowSettings.templates'] = () => templates;
  fake.handlers['workflowSettings.templateUsage'] = (input) => ({
    templateId: (input as { templateId: string }).templateId,
    steps: [
      { workflowId: 'w1', workflowName: 'New lead follow-up', stepId: 's1', stepName: 'Welcome', synced: true },
      { workflowId: 'w1', workflowName: 'New lead follow-up', stepId: 's2', stepName: 'Reminder', synced: false },
    ],
  });
  fake.handlers['workflowSettings.createTemplate'] = (input) => {
    const t = template({ ...(input as Partial<MessageTemplate>), id: 't2', version: 1 });
    templates = [...templates, t];
    return t;
  };
  fake.handlers['workflowSettings.updateTemplate'] = () => {
    throw Object.assign(new Error('changed meanwhile'), { code: 'CONFLICT' });
  };
  fake.handlers['workflowSettings.deleteTemplate'] = (input) => {
    const { templateId } = input as { templateId: string };
    templates = templates.filter((t) => t.id !== templateId);
    return { deleted: true };
  };
});
afterEach(cleanup);

describe('Automation → Templates', { timeout: 30_000 }, () => {
  it('creates an SMS template with a custom value from the picker, checks its length, and the panels see it', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    expect(await screen.findByRole('rowheader', { name: 'Booking confirmation' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Templates' }).getAttribute('aria-current')).toBe('page');
    await user.click(screen.getByRole('button', { name: '+ New SMS template' }));
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect(screen.getByText('Give the template a name.')).toBeTruthy();
    expect(screen.getByText('Write the message.')).toBeTruthy();
    expect(fake.callsTo('workflowSettings.createTemplate')).toHaveLength(0);

    await user.type(screen.getByLabelText('Template name'), 'Reminder');
    await user.type(screen.getByLabelText('Message'), 'Hi ');
    await user.click(screen.getByRole('button', { name: 'Custom values for Message' }));
    // A template serves any workflow: call and appointment fields are offered too.
    await user.click(screen.getByRole('button', { name: '{{appointment.start_time}}' }));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('Hi {{appointment.start_time}}');
    expect(screen.getByText('29 / 1600 characters')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    await screen.findByText('Saved the template Reminder.');
    expect(fake.callsTo('workflowSettings.createTemplate')).toEqual([{ channel: 'sms', name: 'Reminder', body: 'Hi {{appointment.start_time}}' }]);
    expect(await screen.findByRole('rowheader', { name: 'Reminder' })).toBeTruthy();
    expect(fake.callsTo('automation.options').length).toBeGreaterThan(0);
    expect(fake.callsTo('workflowSettings.templateUsage')).toEqual([]); // a new template has no usage to check
    expect(useAutomation.getState().options?.templates.map((t) => t.name)).toContain('Reminder');
  });

  it('edits with the version it started from (a concurrent edit is refused, nothing overwritten) and deletes after confirming', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    await user.click(await screen.findByRole('button', { name: 'Edit Booking confirmation' }));
    expect((await screen.findByRole('note')).textContent).toBe("Used by 2 steps in 'New lead follow-up'. 1 step has Sync Edits to Template on: its workflow’s draft takes the edit, sent once published again; the others keep their own copy.");
    const subject = screen.getByLabelText('Subject');
    await user.clear(subject);
    await user.type(subject, 'Your booking');
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Someone else saved this template meanwhile/);
    expect(fake.callsTo('workflowSettings.updateTemplate')).toEqual([{ templateId: 't1', name: 'Booking confirmation', subject: 'Your booking', body: '<p>Hi</p>', expectedVersion: 3 }]);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    await user.click(screen.getByRole('button', { name: 'Delete Booking confirmation' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    expect((await within(dialog).findByRole('note', { hidden: true })).textContent).toBe("Used by 2 steps in 'New lead follow-up'. Those steps keep their own copy of the text and go on sending it.");
    await user.click(within(dialog).getByRole('button', { name: 'Delete template', hidden: true }));
    await screen.findByText('Deleted the template Booking confirmation.');
    expect(await screen.findByText('No templates yet.')).toBeTruthy();
  });
});

describe('describeUsage', () => {
  it('counts steps per workflow in plain words', () => {
    const step = (workflowId: string, workflowName: string) => ({ workflowId, workflowName, stepId: 's', stepName: 'x', synced: false });
    expect(describeUsage({ templateId: 't', steps: [] })).toBeNull();
    expect(describeUsage({ templateId: 't', steps: [step('a', 'A')] })).toBe("Used by 1 step in 'A'.");
    expect(describeUsage({ templateId: 't', steps: [step('a', 'A'), step('b', 'B'), step('b', 'B'), step('c', 'C')] })).toBe("Used by 1 step in 'A', 2 steps in 'B' and 1 step in 'C'.");
  });
});
