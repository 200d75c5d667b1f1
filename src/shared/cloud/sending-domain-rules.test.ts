import { describe, expect, it } from 'vitest';
import { canonicalEmail, emailDomain } from './email-address';
import {
  canonicalFromEmails, displayEmail, fromEmailProblem, reviewSendersProblem, sendingDomainIssues, signingDomain, type KnownSendingDomain,
} from './sending-domain-rules';
import type { Step } from './workflow-steps';

const domains: KnownSendingDomain[] = [
  { domain: 'glow.example', status: 'verified', failure: null },
  { domain: 'new.example', status: 'pending', failure: null },
  { domain: 'xn--bcher-kva.de', display: 'bücher.de', status: 'verified', failure: null },
  { domain: 'broken.example', status: 'failed', failure: 'the DKIM record was not found' },
];

describe('emailDomain and canonicalEmail: one canonical form', () => {
  it.each([
    ['desk@Glow.Example', 'glow.example'],
    [' desk@glow.example. ', 'glow.example'],
    ['"a@b"@glow.example', 'glow.example'],
    ['desk@xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['desk@bücher.de', 'xn--bcher-kva.de'],
    ['desk@BÜCHER.DE', 'xn--bcher-kva.de'],
    ['desk@клиника.рф', 'xn--80apagcdp.xn--p1ai'],
    ['desk@', null],
    ['@glow.example', null],
    ['desk@localhost', null],
    ['desk@glow.example/x', null],
    ['desk@glow.example:25', null],
    ['desk@b%C3%BCcher.de', null],
    ['desk@1.2.3.4', null],
    ['desk@0x7f.1', null],
  ])('%s → %s', (address, domain) => expect(emailDomain(address)).toBe(domain));

  it('keeps the local part as typed and canonicalises the domain; refuses what is not an address', () => {
    expect(canonicalEmail(' Desk@Bücher.DE ')).toBe('Desk@xn--bcher-kva.de');
    expect(canonicalEmail('info@клиника.рф')).toBe('info@xn--80apagcdp.xn--p1ai');
    expect(canonicalEmail('dësk@glow.example')).toBeNull(); // a Unicode local part needs SMTPUTF8
    expect(canonicalEmail('a b@glow.example')).toBeNull();
    expect(canonicalEmail(`${'a'.repeat(65)}@glow.example`)).toBeNull();
    expect(canonicalEmail('{{user.email}}')).toBeNull();
  });
});

describe('fromEmailProblem', () => {
  it('is null only for an address on a verified domain (any case, any form) or a subdomain of one, and names what to do otherwise', () => {
    expect(fromEmailProblem('Desk@GLOW.example', domains)).toBeNull();
    expect(fromEmailProblem('desk@news.glow.example', domains)).toBeNull();
    expect(fromEmailProblem('desk@a.b.glow.example', domains)).toBeNull();
    expect(fromEmailProblem('desk@bücher.de', domains)).toBeNull();
    expect(fromEmailProblem('desk@xn--bcher-kva.de', domains)).toBeNull();
    expect(fromEmailProblem('desk@other.example', domains)).toBe('desk@other.example is not on a sending domain of this practice: connect and verify other.example under Settings → Email sending');
    expect(fromEmailProblem('desk@new.example', domains)).toMatch(/^new\.example is not verified yet: publish its DNS records/);
    expect(fromEmailProblem('desk@mail.new.example', domains)).toMatch(/^desk@mail\.new\.example is on new\.example, which is not verified yet/);
    expect(fromEmailProblem('desk@broken.example', domains)).toMatch(/^broken\.example failed verification \(the DKIM record was not found\): fix its DNS records/);
    expect(fromEmailProblem('not an address', domains)).toBe('The From Email “not an address” is not an email address');
    // "glow.example" does not cover "notglow.example", nor does a verified domain cover its parent.
    expect(fromEmailProblem('desk@notglow.example', domains)).toMatch(/is not on a sending domain/);
    expect(fromEmailProblem('desk@example', domains)).toMatch(/is not an email address/);
  });

  it('shows an international domain in Unicode: as typed, as the practice connected it, or as the cloud spells it', () => {
    expect(fromEmailProblem('desk@Bücherei.de', domains)).toBe('desk@bücherei.de is not on a sending domain of this practice: connect and verify bücherei.de under Settings → Email sending');
    const pending = [{ domain: 'xn--bcherei-n2a.de', display: 'bücherei.de', status: 'pending' as const, failure: null }];
    expect(fromEmailProblem('desk@xn--bcherei-n2a.de', pending)).toMatch(/^bücherei\.de is not verified yet/);
    expect(fromEmailProblem('desk@xn--bcherei-n2a.de', [], () => 'bücherei.de')).toMatch(/^desk@bücherei\.de is not on a sending domain/);
  });
});

describe('signingDomain', () => {
  it('is the address’s own verified domain, else its nearest verified parent (DKIM relaxed alignment), else none', () => {
    const withSub = [...domains, { domain: 'news.glow.example', status: 'verified' as const, failure: null }, { domain: 'pending.glow.example', status: 'pending' as const, failure: null }];
    expect(signingDomain('desk@glow.example', withSub)?.domain).toBe('glow.example');
    expect(signingDomain('desk@news.glow.example', withSub)?.domain).toBe('news.glow.example');
    expect(signingDomain('desk@x.news.glow.example', withSub)?.domain).toBe('news.glow.example');
    expect(signingDomain('desk@offers.glow.example', withSub)?.domain).toBe('glow.example');
    // A subdomain connected but not verified yet: the verified parent still signs its mail.
    expect(signingDomain('desk@pending.glow.example', withSub)?.domain).toBe('glow.example');
    expect(signingDomain('desk@new.example', withSub)).toBeNull();
    expect(signingDomain('nonsense', withSub)).toBeNull();
  });
});

describe('strict DKIM alignment (DMARC adkim=s)', () => {
  const strict: KnownSendingDomain[] = [
    { domain: 'glow.example', status: 'verified', failure: null, strictAlignment: true },
    { domain: 'news.glow.example', status: 'verified', failure: null },
    { domain: 'soon.glow.example', status: 'pending', failure: null },
    { domain: 'relaxed.example', status: 'verified', failure: null, strictAlignment: false },
    { domain: 'xn--bcher-kva.de', display: 'bücher.de', status: 'verified', failure: null, strictAlignment: true },
  ];

  it('sends only From exactly the strict domain, or a subdomain verified itself (signed with its own key)', () => {
    expect(fromEmailProblem('desk@glow.example', strict)).toBeNull();
    expect(signingDomain('desk@glow.example', strict)?.domain).toBe('glow.example');
    expect(fromEmailProblem('desk@news.glow.example', strict)).toBeNull();
    expect(signingDomain('desk@news.glow.example', strict)?.domain).toBe('news.glow.example');
    // news.glow.example is relaxed: its own subdomains are signed with its key, as before.
    expect(signingDomain('desk@x.news.glow.example', strict)?.domain).toBe('news.glow.example');
    expect(fromEmailProblem('desk@mail.relaxed.example', strict)).toBeNull();
    expect(signingDomain('desk@mail.relaxed.example', strict)?.domain).toBe('relaxed.example');
  });

  it('refuses a subdomain of a strict domain, naming adkim=s and both ways out', () => {
    expect(signingDomain('frontdesk@mail.glow.example', strict)).toBeNull();
    expect(fromEmailProblem('frontdesk@Mail.Glow.example', strict)).toBe(
      'frontdesk@mail.glow.example is on a subdomain of glow.example, whose DMARC record asks for strict DKIM alignment (adkim=s): only addresses at exactly glow.example can send. ' +
        "Connect and verify mail.glow.example itself under Settings → Email sending so its mail is signed with its own key, or relax glow.example's DMARC record (adkim=r) and choose Verify",
    );
    expect(fromEmailProblem('desk@news.xn--bcher-kva.de', strict, () => 'news.bücher.de')).toMatch(/^desk@news\.bücher\.de is on a subdomain of bücher\.de, whose DMARC record asks for strict DKIM alignment \(adkim=s\)/);
    // The subdomain connected but not verified yet: its own verification is what is missing.
    expect(fromEmailProblem('desk@soon.glow.example', strict)).toMatch(/^soon\.glow\.example is not verified yet/);
    expect(signingDomain('desk@soon.glow.example', strict)).toBeNull();
  });

  it('a step and a review sender From such a subdomain are issues like an address off the domains', () => {
    expect(sendingDomainIssues([email('a', 'desk@glow.example'), email('b', 'desk@mail.glow.example')], strict)).toEqual([
      { stepId: 'b', stepName: 'Email b', field: 'fromEmail', message: expect.stringContaining('adkim=s') },
    ]);
    expect(reviewSendersProblem([{ name: 'A', email: 'a@mail.glow.example' }], strict)).toMatch(/no user of this practice has an email address on a verified sending domain/);
    expect(reviewSendersProblem([{ name: 'A', email: 'a@glow.example' }], strict)).toBeNull();
  });
});

describe('displayEmail', () => {
  it('shows a canonical address on a connected international domain in Unicode, and leaves the rest as it is', () => {
    expect(displayEmail('desk@xn--bcher-kva.de', domains)).toBe('desk@bücher.de');
    expect(displayEmail('desk@news.xn--bcher-kva.de', domains)).toBe('desk@news.bücher.de');
    expect(displayEmail('desk@glow.example', domains)).toBe('desk@glow.example');
    expect(displayEmail('desk@xn--other-zva.de', domains)).toBe('desk@xn--other-zva.de');
    expect(displayEmail('{{user.email}}', domains)).toBe('{{user.email}}');
  });
});

const email = (id: string, fromEmail: string) => ({ id, name: `Email ${id}`, type: 'send_email', config: { fromEmail } }) as unknown as Step;
const notify = (id: string, fromEmail: string, channel = 'email') =>
  ({ id, name: `Notify ${id}`, type: 'internal_notification', config: channel === 'email' ? { channel, fromEmail } : { channel, title: 't', message: '' } }) as unknown as Step;

describe('sendingDomainIssues', () => {
  it('names every Send Email and email Internal Notification step off the verified domains, inside If/Else branches too, and nothing else', () => {
    const steps = [
      email('a', 'desk@glow.example'),
      { id: 'sms', name: 'Text', type: 'send_sms', config: { message: 'Hi' } } as unknown as Step,
      {
        id: 'fork', name: 'VIP?', type: 'if_else',
        branches: [{ id: 'b1', name: 'VIP', conditions: { match: 'all', rules: [] }, steps: [email('b', 'vip@new.example'), notify('n1', 'alerts@elsewhere.example')] }],
        elseSteps: [email('c', 'desk@other.example'), notify('n2', 'alerts@glow.example'), notify('n3', '{{user.email}}'), notify('n4', '', 'in_app')],
      } as unknown as Step,
    ];
    expect(sendingDomainIssues(steps, domains)).toEqual([
      { stepId: 'b', stepName: 'Email b', field: 'fromEmail', message: expect.stringMatching(/^new\.example is not verified yet/) },
      { stepId: 'n1', stepName: 'Notify n1', field: 'fromEmail', message: expect.stringMatching(/^alerts@elsewhere\.example is not on a sending domain/) },
      { stepId: 'c', stepName: 'Email c', field: 'fromEmail', message: expect.stringMatching(/^desk@other\.example is not on a sending domain/) },
    ]);
  });

  it('names an email Review Request while no user of the practice could send it, once the users are known', () => {
    const review = (id: string, reviewType: string) => ({ id, name: `Review ${id}`, type: 'review_request', config: { reviewType } }) as unknown as Step;
    const steps = [review('e', 'email'), review('s', 'sms')];
    expect(sendingDomainIssues(steps, domains)).toEqual([]);
    expect(sendingDomainIssues(steps, domains, { users: [{ name: 'A', email: 'a@glow.example' }] })).toEqual([]);
    expect(sendingDomainIssues(steps, domains, { users: [{ name: 'A', email: 'a@gmail.example' }] })).toEqual([
      { stepId: 'e', stepName: 'Review e', field: 'reviewType', message: expect.stringMatching(/^review requests go From the contact's assigned user/) },
    ]);
  });
});

describe('canonicalFromEmails', () => {
  it('stores each saved From Email in its canonical form, in branches too; custom values and other steps untouched', () => {
    const steps = [
      email('a', 'Desk@Bücher.de'),
      { id: 'fork', name: 'F', type: 'if_else', branches: [{ id: 'b1', name: 'B', conditions: { match: 'all', rules: [] }, steps: [notify('n', 'alerts@BÜCHER.de')] }], elseSteps: [notify('m', '{{user.email}}')] } as unknown as Step,
      email('bad', 'not an address'),
    ];
    const out = canonicalFromEmails(steps) as unknown as { config: { fromEmail: string }; branches: { steps: { config: { fromEmail: string } }[] }[]; elseSteps: { config: { fromEmail: string } }[] }[];
    expect(out[0]!.config.fromEmail).toBe('Desk@xn--bcher-kva.de');
    expect(out[1]!.branches[0]!.steps[0]!.config.fromEmail).toBe('alerts@xn--bcher-kva.de');
    expect(out[1]!.elseSteps[0]!.config.fromEmail).toBe('{{user.email}}');
    expect(out[2]!.config.fromEmail).toBe('not an address');
    expect(steps[0]).toMatchObject({ config: { fromEmail: 'Desk@Bücher.de' } }); // the input is not changed
  });
});

describe('reviewSendersProblem', () => {
  it('is null while any user’s address is on a verified domain (or a subdomain of one); names what to do when none is', () => {
    expect(reviewSendersProblem([{ name: 'A', email: 'a@gmail.example' }, { name: 'B', email: 'b@team.glow.example' }], domains)).toBeNull();
    expect(reviewSendersProblem([{ name: 'A', email: 'a@gmail.example' }], domains)).toMatch(/^review requests go From the contact's assigned user, and no user of this practice has an email address on a verified sending domain/);
    expect(reviewSendersProblem([], domains)).not.toBeNull();
  });
});
