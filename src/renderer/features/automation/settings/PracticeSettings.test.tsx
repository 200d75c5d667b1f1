import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AutomationSettingsView } from '../../../../shared/cloud/automation-settings';
import type { ReputationSettings } from '../../../../shared/cloud/reputation';
import type { WhatsAppSettings } from '../../../../shared/cloud/whatsapp';
import { useSession } from '../../../state/session';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { useAutomation } from '../automation-store';
import { CompanyPhoneCard, PremiumActionsCard, ReputationWording, WhatsAppSender } from './PracticeSettings';

const fake = installFakeBridge();
let automation: AutomationSettingsView;
let reputation: ReputationSettings;
let whatsApp: WhatsAppSettings;

beforeEach(() => {
  fake.calls.length = 0;
  automation = {
    companyPhone: null, premiumActionsEnabled: false, logRetentionDays: 365,
    premiumExecutions: { thisMonth: 7, total: 41, monthStartsAt: '2026-12-01T00:00:00Z', since: '2026-06-03T00:00:00Z' },
  };
  reputation = { reviewLink: null, requestsEnabled: false, emailSubject: 'How was it?', emailBody: '<p>Hi</p>', smsBody: 'Review us {{review_link}}', updatedAt: null };
  whatsApp = {
    sender: null, templatesSyncedAt: '2026-11-30T09:00:00Z',
    templates: [
      { contentSid: 'HX1', name: 'lead_alert', language: 'en', body: 'New lead {{1}}', variables: { 1: 'Ann' }, category: 'UTILITY', status: 'approved', rejectionReason: null, syncedAt: '' },
      { contentSid: 'HX2', name: 'promo', language: 'en', body: 'Sale!', variables: {}, category: 'MARKETING', status: 'rejected', rejectionReason: 'promotional', syncedAt: '' },
    ],
  };
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAutomation.setState({ page: 'workflows', open: null, error: null, message: null, options: null });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['automation.options'] = () => ({ dispositions: [], users: [], teams: [], numbers: [{ id: 'n1', number: '+13105550100', name: 'Front desk' }], templates: [], slack: [] });
  fake.handlers['workflowSettings.automation'] = () => automation;
  fake.handlers['workflowSettings.updateAutomation'] = (patch) => (automation = { ...automation, ...(patch as object) });
  fake.handlers['workflowSettings.reputation'] = () => reputation;
  fake.handlers['workflowSettings.updateReputation'] = (patch) => (reputation = { ...reputation, ...(patch as object) });
  fake.handlers['workflowSettings.whatsApp'] = () => whatsApp;
  fake.handlers['workflowSettings.setWhatsAppSender'] = (input) => {
    const { phoneNumberId } = input as { phoneNumberId: string | null };
    return (whatsApp = { ...whatsApp, sender: phoneNumberId ? { phoneNumberId, number: '+13105550100', updatedAt: '' } : null });
  };
});
afterEach(cleanup);

describe('Settings → Premium actions, Company, Integrations (WhatsApp), Reputation', { timeout: 30_000 }, () => {
  it('switches premium actions with the executions used, and saves a checked Company Phone', async () => {
    const user = userEvent.setup();
    render(
      <>
        <PremiumActionsCard />
        <CompanyPhoneCard />
      </>,
    );
    const premium = within(await screen.findByRole('region', { name: 'Premium actions' }));
    expect((await premium.findByText(/Premium executions used/)).textContent).toMatch(/7 this month .* 41 in all since/);
    await user.click(premium.getByLabelText(/Premium actions on/));
    await premium.findByText('Premium actions are on.');
    expect(fake.callsTo('workflowSettings.updateAutomation')).toEqual([{ premiumActionsEnabled: true }]);

    const company = within(screen.getByRole('region', { name: 'Company Phone' }));
    await user.type(await company.findByLabelText('Company Phone'), '415 555');
    await user.click(company.getByRole('button', { name: 'Save Company Phone' }));
    expect(company.getByText(/with its country code/)).toBeTruthy();
    await user.clear(company.getByLabelText('Company Phone'));
    await user.type(company.getByLabelText('Company Phone'), '+1 (415) 555-0123');
    await user.click(company.getByRole('button', { name: 'Save Company Phone' }));
    await company.findByText('Company Phone saved: +14155550123.');
    expect(fake.callsTo('workflowSettings.updateAutomation').at(-1)).toEqual({ companyPhone: '+14155550123' });
  });

  it('chooses the WhatsApp sender, shows which templates are approved, and saves the review wording', async () => {
    const user = userEvent.setup();
    render(
      <>
        <WhatsAppSender />
        <ReputationWording />
      </>,
    );
    const wa = within(await screen.findByRole('region', { name: 'WhatsApp sender' }));
    expect(await wa.findByText('Approved')).toBeTruthy();
    expect(wa.getByText('Not approved: rejected — promotional')).toBeTruthy();
    await user.selectOptions(wa.getByLabelText('Send WhatsApp messages from'), 'n1');
    await wa.findByText('WhatsApp sender saved.');
    expect(fake.callsTo('workflowSettings.setWhatsAppSender')).toEqual([{ phoneNumberId: 'n1' }]);

    const rep = within(screen.getByRole('region', { name: 'Reputation: review requests' }));
    await user.type(await rep.findByLabelText('Review link'), 'http://g.page/r/x');
    await user.click(rep.getByRole('button', { name: 'Save review wording' }));
    expect(rep.getByText('The review link must be an https:// address.')).toBeTruthy();
    expect(fake.callsTo('workflowSettings.updateReputation')).toHaveLength(0);
    await user.clear(rep.getByLabelText('Review link'));
    await user.type(rep.getByLabelText('Review link'), 'https://g.page/r/x');
    await user.click(rep.getByRole('button', { name: 'Save review wording' }));
    await rep.findByText('Reputation settings saved.');
    expect(fake.callsTo('workflowSettings.updateReputation')).toEqual([{ reviewLink: 'https://g.page/r/x', emailSubject: 'How was it?', emailBody: '<p>Hi</p>', smsBody: 'Review us {{review_link}}' }]);
  });
});
