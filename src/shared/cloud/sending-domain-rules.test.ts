import { describe, expect, it } from 'vitest';
import { emailDomain, fromEmailProblem, sendingDomainIssues } from './sending-domain-rules';
import type { Step } from './workflow-steps';

const domains = [
  { domain: 'glow.example', status: 'verified' as const, failure: null },
  { domain: 'new.example', status: 'pending' as const, failure: null },
];

describe('emailDomain', () => {
  it.each([
    ['desk@Glow.Example', 'glow.example'],
    [' desk@glow.example. ', 'glow.example'],
    ['"a@b"@glow.example', 'glow.example'],
    ['desk@xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['desk@', null],
    ['@glow.example', null],
    ['desk@localhost', null],
    ['desk@glow.example/x', null],
  ])('%s → %s', (address, domain) => expect(emailDomain(address)).toBe(domain));
});

describe('fromEmailProblem', () => {
  it('is null only for an address on a verified domain (any case), and names what to do otherwise', () => {
    expect(fromEmailProblem('Desk@GLOW.example', domains)).toBeNull();
    expect(fromEmailProblem('desk@sub.glow.example', domains)).toMatch(/^desk@sub\.glow\.example is not on a sending domain of this practice: connect and verify sub\.glow\.example/);
    expect(fromEmailProblem('desk@new.example', domains)).toMatch(/^new\.example is not verified yet/);
    expect(fromEmailProblem('not an address', domains)).toBe('The From Email “not an address” is not an email address');
  });
});

describe('sendingDomainIssues', () => {
  it('names every Send Email step off the verified domains, inside If/Else branches too, and nothing else', () => {
    const email = (id: string, fromEmail: string) => ({ id, name: `Email ${id}`, type: 'send_email', config: { fromEmail } }) as unknown as Step;
    const steps = [
      email('a', 'desk@glow.example'),
      { id: 'sms', name: 'Text', type: 'send_sms', config: { message: 'Hi' } } as unknown as Step,
      {
        id: 'fork', name: 'VIP?', type: 'if_else',
        branches: [{ id: 'b1', name: 'VIP', conditions: { match: 'all', rules: [] }, steps: [email('b', 'vip@new.example')] }],
        elseSteps: [email('c', 'desk@other.example')],
      } as unknown as Step,
    ];
    expect(sendingDomainIssues(steps, domains)).toEqual([
      { stepId: 'b', stepName: 'Email b', message: expect.stringMatching(/^new\.example is not verified yet/) },
      { stepId: 'c', stepName: 'Email c', message: expect.stringMatching(/^desk@other\.example is not on a sending domain/) },
    ]);
  });
});
