import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendingDomain } from '../../../shared/cloud/sending-domains';
import { actionConfigSchemas } from '../../../shared/cloud/workflows';
import type { BuilderOptions } from '../../../shared/ipc/contract-automation';
import { installFakeBridge } from '../../testing/fake-bridge';
import { ActionPanel } from './ActionPanel';
import { useAutomation } from './automation-store';
import { ReviewRequestPanel } from './comm-panels';
import { fromEmailNote, reviewSenderNote } from './from-email-note';

installFakeBridge();
afterEach(cleanup);

const domains = [
  { domain: 'glow.test', status: 'verified' as const, failure: null },
  { domain: 'new.test', status: 'pending' as const, failure: null },
  { domain: 'gone.test', status: 'failed' as const, failure: 'No record named _aesthetix-verification.gone.test exists (NXDOMAIN)' },
  { domain: 'xn--bcher-kva.de', display: 'bücher.de', status: 'verified' as const, failure: null },
  { domain: 'strict.test', status: 'verified' as const, failure: null, strictAlignment: true },
];

describe('fromEmailNote', () => {
  it.each([
    ['', /^An address on one of the practice's verified sending domains \(Settings → Email sending\), or on a subdomain of one\.$/, null],
    ['desk@glo', /^An address on one of/, null],
    ['Desk@Glow.Test', /^glow\.test is a verified sending domain of the practice\.$/, null],
    ['offers@news.glow.test', /^news\.glow\.test is on glow\.test, a verified sending domain of the practice: its mail is signed with glow\.test's DKIM key\.$/, null],
    ['desk@Bücher.de', /^bücher\.de is a verified sending domain of the practice\.$/, null],
    ['desk@xn--bcher-kva.de', /^bücher\.de is a verified sending domain of the practice\.$/, null],
    ['desk@shop.xn--bcher-kva.de', /^shop\.bücher\.de is on bücher\.de, a verified sending domain of the practice: its mail is signed with bücher\.de's DKIM key\.$/, null],
    ['{{user.email}}', /^A custom value: the address it fills to must be on a verified sending domain \(Settings → Email sending\), or the email is not sent\.$/, null],
    ['desk@new.test', /cannot be saved with this step/, /^new\.test is not verified yet: publish its DNS records, then choose Verify under Settings → Email sending\.$/],
    ['desk@mail.new.test', /cannot be saved/, /^desk@mail\.new\.test is on new\.test, which is not verified yet: publish its DNS records/],
    ['desk@gone.test', /cannot be saved/, /^gone\.test failed verification \(No record named .*\(NXDOMAIN\)\): fix its DNS records/],
    ['desk@other.test', /cannot be saved/, /^desk@other\.test is not on a sending domain of this practice: connect and verify other\.test/],
    ['desk@strict.test', /^strict\.test is a verified sending domain of the practice\.$/, null],
    ['desk@mail.strict.test', /cannot be saved/, /^desk@mail\.strict\.test is on a subdomain of strict\.test, whose DMARC record asks for strict DKIM alignment \(adkim=s\): only addresses at exactly strict\.test can send\. Connect and verify mail\.strict\.test itself/],
    ['desk@Bücherei.de', /cannot be saved/, /^desk@bücherei\.de is not on a sending domain of this practice: connect and verify bücherei\.de under Settings → Email sending\.$/],
  ] as const)('%s', (fromEmail, hint, warning) => {
    const note = fromEmailNote(fromEmail, domains);
    expect(note.hint).toMatch(hint);
    if (warning) expect(note.warning).toMatch(warning);
    else expect(note.warning).toBeNull();
  });

  it('says it could not check when the cloud did not list the domains, and judges nothing', () => {
    expect(fromEmailNote('desk@other.test', null)).toEqual({ hint: expect.stringContaining('this cloud did not say which are'), warning: null });
  });
});

describe('reviewSenderNote', () => {
  it('names the users whose contacts’ requests cannot be sent, and warns as the cloud refuses when nobody can send', () => {
    const team = [{ name: 'Maya', email: 'maya@glow.test' }, { name: 'Ana', email: 'ana@xn--bcher-kva.de' }, { name: 'Jo', email: 'jo@mail.example' }];
    expect(reviewSenderNote(team, domains)).toEqual({ offDomain: "Not on a verified sending domain, so their contacts' requests are not sent: Jo (jo@mail.example).", warning: null });
    expect(reviewSenderNote([team[2]!], domains)).toEqual({
      offDomain: null,
      warning: "Review requests go From the contact's assigned user, and no user of this practice has an email address on a verified sending domain: verify the domain your team's addresses are on under Settings → Email sending.",
    });
    expect(reviewSenderNote(team, null)).toEqual({ offDomain: null, warning: null });
  });
});

const sendingDomain = (over: Partial<SendingDomain>): SendingDomain => ({
  id: 'sdm_1', domain: 'glow.test', display: 'glow.test', status: 'verified', failure: null, lastCheckNote: null, strictAlignment: false, records: [], lastCheckedAt: null, verifiedAt: null, createdAt: '', ...over,
});
const options = (over: Partial<BuilderOptions>): BuilderOptions => ({
  dispositions: [], teams: [], numbers: [], templates: [], slack: [], triggerLinks: [],
  users: [{ id: 'u1', name: 'Dr. Maya Chen', email: 'maya@personal.example', role: 'admin', phone: null }],
  sendingDomains: [sendingDomain({})],
  ...over,
});

describe('the panels', () => {
  beforeEach(() => useAutomation.setState({ options: null }));

  it('Review Request by email says it goes From the assigned user, and warns when no user’s address is on a verified domain', () => {
    const step = { id: 'r', name: 'Send Review Request', type: 'review_request' as const, config: { reviewType: 'email' as const } };
    const { rerender } = render(<ReviewRequestPanel step={step} set={vi.fn()} replace={vi.fn()} errors={{}} trigger={null} options={options({})} />);
    expect(screen.getByText(/From their email address: it must be on a verified sending domain \(Settings → Email sending\)\./)).toBeTruthy();
    expect(screen.getByText(/^Review requests go From the contact's assigned user, and no user of this practice has an email address on a verified sending domain/)).toBeTruthy();
    const sms = { ...step, config: { reviewType: 'sms' as const } };
    rerender(<ReviewRequestPanel step={sms} set={vi.fn()} replace={vi.fn()} errors={{}} trigger={null} options={options({})} />);
    expect(screen.queryByText(/no user of this practice/)).toBeNull();
  });

  it('a From Email stored in xn-- opens in Unicode, and Save Action keeps the stored form', async () => {
    useAutomation.setState({ options: options({ sendingDomains: [sendingDomain({ domain: 'xn--bcher-kva.de', display: 'bücher.de' })] }) });
    const user = userEvent.setup();
    const onSave = vi.fn();
    const config = actionConfigSchemas.send_email.parse({ fromName: 'Glow', fromEmail: 'desk@xn--bcher-kva.de', subject: 'Hi', body: 'Hello' });
    const stored = { id: 'e', name: 'Send Email', type: 'send_email' as const, config };
    render(<ActionPanel editing={stored} onSave={onSave} onClose={vi.fn()} />);
    expect((screen.getByLabelText('From Email') as HTMLInputElement).value).toBe('desk@bücher.de');
    expect(screen.getByText('bücher.de is a verified sending domain of the practice.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save Action' }));
    expect(onSave).toHaveBeenCalledWith(stored);
  });

  it('an email Internal Notification’s From Email says what the domains allow, as Send Email’s does', async () => {
    useAutomation.setState({ options: options({}) });
    const user = userEvent.setup();
    const config = actionConfigSchemas.internal_notification.parse({ channel: 'email', fromName: 'W', fromEmail: 'tbd', toUserType: 'all_users', message: 'x' });
    render(<ActionPanel editing={{ id: 'n', name: 'Tell the team', type: 'internal_notification', config }} onSave={vi.fn()} onClose={vi.fn()} />);
    const fromEmail = screen.getByLabelText('From Email');
    await user.clear(fromEmail);
    await user.type(fromEmail, 'alerts@other.test');
    const warning = screen.getByText('alerts@other.test is not on a sending domain of this practice: connect and verify other.test under Settings → Email sending.');
    expect(fromEmail.getAttribute('aria-describedby')?.split(' ')).toContain(warning.id);
    await user.clear(fromEmail);
    await user.type(fromEmail, 'alerts@team.glow.test');
    expect(screen.getByText("team.glow.test is on glow.test, a verified sending domain of the practice: its mail is signed with glow.test's DKIM key.")).toBeTruthy();
  });
});
