import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings';
import { useAutomation } from '../features/automation/automation-store';
import { useNavigation } from '../state/navigation';
import { useSession } from '../state/session';
import { installFakeBridge } from '../testing/fake-bridge';
import { SettingsScreen } from './SettingsScreen';

const fake = installFakeBridge();
const signIn = (role: 'admin' | 'receptionist') => useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role } as never, sessionId: 's' } });

beforeEach(() => {
  fake.calls.length = 0;
  useAutomation.setState({ options: null });
  fake.handlers['automation.options'] = () => ({ dispositions: [], users: [], teams: [], numbers: [], templates: [], slack: [] });
  fake.handlers['workflowSettings.slackConnections'] = () => [];
  fake.handlers['workflowSettings.sendingDomains'] = () => [];
  fake.handlers['workflowSettings.inboundEmail'] = () => ({
    url: 'https://cloud.example/hooks/email/inbound/acc_1', secret: 'whsec-test', signatureHeader: 'X-Aesthetix-Signature', signatureFormat: 't=<unix seconds>,v1=<hex>',
    contentType: 'message/rfc822', toleranceSeconds: 300, maxBytes: 10485760, loopback: false, lastReceivedAt: null, lastMatchedAt: null, rotatedAt: null,
  });
  fake.handlers['workflowSettings.whatsApp'] = () => ({ sender: null, templatesSyncedAt: null, templates: [] });
  fake.handlers['workflowSettings.automation'] = () => ({
    companyPhone: '+14155550123', premiumActionsEnabled: true, logRetentionDays: 365,
    premiumExecutions: { thisMonth: 3, total: 9, monthStartsAt: '2026-12-01T00:00:00Z', since: null },
  });
  fake.handlers['callPolicy.get'] = () => ({ country: 'US', allowedCountries: ['US', 'CA'], usingDefault: false, outboundCallsPerUserHour: 60 });
  fake.handlers['workflowSettings.reputation'] = () => ({ reviewLink: null, requestsEnabled: false, emailSubject: 'How was it?', emailBody: 'Hi', smsBody: 'Review us', updatedAt: null });
});
afterEach(cleanup);

describe('Settings tab: the practice pages where the article places them', { timeout: 30_000 }, () => {
  it('a receptionist sees no menu and none of the practice settings (nothing asked of the cloud)', () => {
    signIn('receptionist');
    render(<SettingsScreen />);
    expect(screen.queryByRole('navigation', { name: 'Settings pages' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Email replies' })).toBeNull();
    expect(fake.calls.filter((c) => c.channel.startsWith('workflowSettings.'))).toEqual([]);
  });

  it('a receptionist reads the call policy on their one page, and is told only an admin can change it', async () => {
    signIn('receptionist');
    fake.handlers['settings.get'] = () => ({ settings: defaultSettings(), hotkeys: [] });
    render(<SettingsScreen />);
    const policy = within(await screen.findByRole('group', { name: 'Call policy' }));
    expect(await policy.findByText('Only an admin can change the call policy.')).toBeTruthy();
    expect(policy.getByText('Canada (CA)')).toBeTruthy();
    expect(policy.queryByRole('button', { name: 'Save call policy' })).toBeNull();
  });

  it('an admin reaches Integrations (Slack, WhatsApp), Email sending, Email replies, Company (Company Phone), Call policy, Reputation and Premium actions by keyboard', async () => {
    signIn('admin');
    const user = userEvent.setup();
    render(<SettingsScreen />);
    const nav = within(screen.getByRole('navigation', { name: 'Settings pages' }));
    expect(nav.getByRole('button', { name: 'This computer' }).getAttribute('aria-current')).toBe('page');

    nav.getByRole('button', { name: 'Integrations' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 2, name: 'Integrations' })).toBeTruthy();
    expect(await screen.findByText('No Slack workspace is connected.')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'WhatsApp sender' })).toBeTruthy();

    // "Settings → Email sending", where every refusal of a From Email sends the admin.
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 2, name: 'Email sending' })).toBeTruthy();
    expect(await screen.findByText(/No sending domain is connected/)).toBeTruthy();

    // Beside it, where replies to those emails come in.
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 2, name: 'Email replies' })).toBeTruthy();
    expect(await screen.findByText('https://cloud.example/hooks/email/inbound/acc_1')).toBeTruthy();

    await user.tab();
    await user.keyboard('{Enter}');
    expect(nav.getByRole('button', { name: 'Company' }).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByDisplayValue('+14155550123')).toBeTruthy();

    // "Settings → Call policy", where the cloud's refusals send the admin.
    await user.tab();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 2, name: 'Call policy' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Save call policy' })).toBeTruthy();

    await user.tab();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('region', { name: 'Reputation: review requests' })).toBeTruthy();

    await user.tab();
    await user.keyboard('{Enter}');
    expect((await screen.findByText(/Premium executions used/)).textContent).toMatch(/3 this month/);
  });

  it('another screen can ask for Email sending (the builder’s “Open Settings → Email sending”): the page opens and the request is spent', async () => {
    signIn('admin');
    useNavigation.setState({ settingsPage: 'email' });
    render(<SettingsScreen />);
    expect(await screen.findByRole('heading', { level: 2, name: 'Email sending' })).toBeTruthy();
    expect(within(screen.getByRole('navigation', { name: 'Settings pages' })).getByRole('button', { name: 'Email sending' }).getAttribute('aria-current')).toBe('page');
    expect(useNavigation.getState().settingsPage).toBeNull();
  });
});
