import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SendingDomain } from '../../../../shared/cloud/sending-domains';
import { useSession } from '../../../state/session';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { useAutomation } from '../automation-store';
import { domainStatusText, SendingDomainsView } from './SendingDomainsView';

const fake = installFakeBridge();
const TOKEN = 'aesthetix-verification=Qx9fXbq2TqzmD2P4rJXvN0kGZ6yYc1Xo8s3LwVhE7Ua';
const DKIM = `v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A${'B'.repeat(360)}`;
const domain = (over: Partial<SendingDomain> = {}): SendingDomain => ({
  id: 'sdm_1', domain: 'glowmedspa.com', display: 'glowmedspa.com', status: 'pending', failure: null, lastCheckNote: null, strictAlignment: false, lastCheckedAt: null, verifiedAt: null, createdAt: '2026-12-01T00:00:00Z',
  records: [
    { purpose: 'verification', type: 'TXT', name: '_aesthetix-verification.glowmedspa.com', value: TOKEN, check: null },
    { purpose: 'dkim', type: 'TXT', name: 'ax0123456789._domainkey.glowmedspa.com', value: DKIM, check: null },
  ],
  ...over,
});
const checked = (outcome: 'found' | 'nxdomain', message: string) => ({ outcome, message });

let stored: SendingDomain[];
beforeEach(() => {
  fake.calls.length = 0;
  stored = [];
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' }, appInfo: undefined });
  useAutomation.setState({ options: null });
  fake.handlers['automation.options'] = () => ({ dispositions: [], users: [], teams: [], numbers: [], templates: [], slack: [], sendingDomains: stored });
  fake.handlers['workflowSettings.sendingDomains'] = () => stored;
  fake.handlers['workflowSettings.addSendingDomain'] = (input) => {
    const typed = (input as { domain: string }).domain;
    if (typed.includes('@')) throw Object.assign(new Error('Enter the domain only (glowmedspa.com), not an email address'), { code: 'VALIDATION_FAILED' });
    const added = domain({ domain: typed.trim().toLowerCase() });
    stored = [added];
    return added;
  };
  fake.handlers['workflowSettings.removeSendingDomain'] = () => ((stored = []), { removed: true });
});
afterEach(cleanup);

describe('Settings → Email sending', { timeout: 30_000 }, () => {
  it('by keyboard: a domain typed wrongly is refused inline; connected, it shows both TXT records to publish', async () => {
    const user = userEvent.setup();
    render(<SendingDomainsView />);
    expect(await screen.findByText(/No sending domain is connected: email steps cannot send until one is verified/)).toBeTruthy();
    const input = screen.getByLabelText('Domain to send from');
    await user.click(input);
    await user.keyboard('desk@glowmedspa.com{Enter}');
    expect(await screen.findByText('Enter the domain only (glowmedspa.com), not an email address')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBeTruthy();

    await user.clear(input);
    await user.keyboard('GlowMedSpa.com{Enter}');
    const card = within(await screen.findByRole('listitem'));
    expect(card.getByRole('heading', { level: 4 }).textContent).toBe('glowmedspa.com Pending');
    expect(card.getByText(/add the two records below at your DNS provider, then choose Verify/)).toBeTruthy();
    expect(card.getByText('_aesthetix-verification.glowmedspa.com')).toBeTruthy();
    expect(card.getByText(TOKEN)).toBeTruthy();
    expect(card.getByText(DKIM)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/Connected glowmedspa\.com/);
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(fake.callsTo('workflowSettings.addSendingDomain')).toEqual([{ domain: 'desk@glowmedspa.com' }, { domain: 'GlowMedSpa.com' }]);
    // The builder's From Email check is re-read.
    expect(fake.callsTo('automation.options').length).toBeGreaterThan(0);
    // Not the demo: no demo DNS.
    expect(card.queryByRole('button', { name: 'Publish in the demo DNS' })).toBeNull();
  });

  it('Verify: each record says what DNS found, the status and the reason are announced; then verified', async () => {
    stored = [domain()];
    const answers = [
      domain({ status: 'failed', failure: 'No record named _aesthetix-verification.glowmedspa.com exists (NXDOMAIN): add the verification record at your DNS provider.', lastCheckedAt: '2026-12-01T10:00:00Z',
        records: domain().records.map((r) => ({ ...r, check: checked('nxdomain', `No record named ${r.name} exists (NXDOMAIN)`) })) }),
      domain({ status: 'verified', verifiedAt: '2026-12-01T10:05:00Z', lastCheckedAt: '2026-12-01T10:05:00Z', records: domain().records.map((r) => ({ ...r, check: checked('found', 'Found.') })) }),
    ];
    fake.handlers['workflowSettings.verifySendingDomain'] = () => answers.shift();
    const user = userEvent.setup();
    render(<SendingDomainsView />);
    await user.click(await screen.findByRole('button', { name: 'Verify glowmedspa.com' }));
    const card = within(screen.getByRole('listitem'));
    expect(await card.findByText(/^Not verified: No record named _aesthetix-verification/)).toBeTruthy();
    expect(card.getByText('No record named ax0123456789._domainkey.glowmedspa.com exists (NXDOMAIN)')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/^glowmedspa\.com is not verified: No record named/);

    await user.click(screen.getByRole('button', { name: 'Verify glowmedspa.com' }));
    expect(await card.findByText(/^Verified since .*: email steps can send From any address at glowmedspa\.com or its subdomains \(signed with its DKIM key\)\./)).toBeTruthy();
    expect(card.getAllByText('Found.')).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toBe('glowmedspa.com is verified.');
    expect(fake.callsTo('workflowSettings.verifySendingDomain')).toEqual([{ domainId: 'sdm_1' }, { domainId: 'sdm_1' }]);
  });

  it('a verified domain that could not be re-checked says so; Remove asks first and says what stops', async () => {
    stored = [domain({ status: 'verified', verifiedAt: '2026-12-01T10:05:00Z', lastCheckNote: 'Still verified: the last check could not reach DNS.' })];
    const user = userEvent.setup();
    render(<SendingDomainsView />);
    expect(await screen.findByText('Still verified: the last check could not reach DNS.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Remove glowmedspa.com' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Remove glowmedspa.com?' }));
    expect(dialog.getByText(/Email steps From glowmedspa\.com or its subdomains stop sending/)).toBeTruthy();
    await user.click(dialog.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText(/No sending domain is connected/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Removed glowmedspa.com.');
  });

  it('the demo practice publishes the records in the demo DNS on this computer, then Verify finds them', async () => {
    useSession.setState({ appInfo: { name: 'Aesthetix Softphone', version: '0.1.0', host: 'browser', platform: 'linux', cloud: { mode: 'embedded', url: 'http://127.0.0.1:1' } } });
    stored = [domain()];
    fake.handlers['demo.publishDnsRecords'] = (input) => ({ published: (input as { records: unknown[] }).records.length });
    const user = userEvent.setup();
    render(<SendingDomainsView />);
    expect(await screen.findByText(/Demo practice: DNS here is a stand-in on this computer/)).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: 'Publish in the demo DNS' }));
    expect(fake.callsTo('demo.publishDnsRecords')).toEqual([{ records: domain().records.map((r) => ({ name: r.name, value: r.value })) }]);
    expect(screen.getByRole('status').textContent).toBe("Published glowmedspa.com's records in the demo DNS: choose Verify.");
  });
});

describe('domainStatusText', () => {
  it('a verified domain whose DMARC asks for strict DKIM alignment says only its exact addresses send, and what to do', () => {
    const strict = domain({ status: 'verified', verifiedAt: '2026-12-01T00:00:00Z', strictAlignment: true });
    expect(domainStatusText(strict)).toMatch(
      /^Verified since .*\. DMARC asks for strict DKIM alignment \(adkim=s\): only addresses at exactly glowmedspa\.com can send, not its subdomains\. To send From a subdomain, connect and verify it too, or relax the DMARC record \(adkim=r\) and choose Verify\.$/,
    );
    expect(domainStatusText({ ...strict, strictAlignment: false })).toMatch(/can send From any address at glowmedspa\.com or its subdomains/);
  });
});
