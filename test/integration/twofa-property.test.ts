import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWO_FACTOR_RULES as RULES, type RefusalReason } from '../../src/shared/cloud/twofa';
import { backends, stopTestPostgres } from '../support/cloud-harness';
import { email, startTwoFactorCloud, type TwoFactorCloud } from '../support/twofa-harness';

afterAll(stopTestPostgres);

type Command = { kind: 'start' } | { kind: 'resend' } | { kind: 'verify'; code: 'current' | 'wrong' | 'stale' } | { kind: 'advance'; seconds: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Command>({ kind: 'start' }) },
  { weight: 3, arbitrary: fc.constant<Command>({ kind: 'resend' }) },
  { weight: 5, arbitrary: fc.constantFrom<'current' | 'wrong' | 'stale'>('current', 'wrong', 'stale').map<Command>((code) => ({ kind: 'verify', code })) },
  { weight: 4, arbitrary: fc.constantFrom(1, 30, 59, 60, 300, 599, 600, 3600, 6 * 3600, 86_400).map<Command>((seconds) => ({ kind: 'advance', seconds })) },
);

/** The rules, written independently of the service, as a reference model. */
class Model {
  now = 0;
  failures: number[] = [];
  attempts: number[] = [];
  challenge: { id: string; code: string; previous: string | null; sentAt: number; expiresAt: number; sends: number; open: boolean } | null = null;

  lockedUntil(): number | null {
    const inWindow = this.failures.filter((f) => f > this.now - RULES.failureWindowSeconds * 1000 && f <= this.now);
    return inWindow.length >= RULES.maxFailures ? inWindow[inWindow.length - RULES.maxFailures]! + RULES.failureWindowSeconds * 1000 : null;
  }
  attemptsToday(): number[] {
    return this.attempts.filter((a) => a > this.now - RULES.attemptWindowSeconds * 1000 && a <= this.now);
  }
  expectStart(): RefusalReason | 'started' {
    if (this.lockedUntil() !== null) return 'too_many_failures';
    if (this.attemptsToday().length >= RULES.maxAttemptsPerDay) return 'daily_limit';
    return 'started';
  }
  expectResend(): RefusalReason | 'started' {
    const c = this.challenge!;
    if (!c.open) return 'challenge_closed';
    if (this.lockedUntil() !== null) return 'too_many_failures';
    if (c.sends >= RULES.maxSendsPerChallenge) return 'resend_limit';
    if (this.now < c.sentAt + RULES.resendAfterSeconds * 1000) return 'resend_too_soon';
    return 'started';
  }
  expectVerify(right: boolean): RefusalReason | 'verified' {
    const c = this.challenge!;
    if (!c.open) return 'challenge_closed';
    if (this.lockedUntil() !== null) return 'too_many_failures';
    if (this.now >= c.expiresAt) return 'code_expired';
    if (right) return 'verified';
    return this.failures.filter((f) => f > this.now - RULES.failureWindowSeconds * 1000).length + 1 >= RULES.maxFailures ? 'too_many_failures' : 'code_invalid';
  }
}

describe.each(backends)('2FA property on %s: random sequences of requests, resends and attempts follow the rules', (backend) => {
  let t: TwoFactorCloud;
  beforeAll(async () => {
    t = await startTwoFactorCloud(backend);
  });
  afterAll(async () => t?.stop());

  it('matches the reference model and never sends a code to a new number', async () => {
    let phoneCounter = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 30 }), async (commands) => {
        await t.reset();
        await t.verifyEmail('receptionist');
        const m = new Model();
        m.now = t.clock.ms;
        const newNumbers: string[] = [];
        const inbox = email('receptionist');
        let verifiedChanges = 0;
        for (const command of commands) {
          switch (command.kind) {
            case 'advance':
              t.clock.advance(command.seconds);
              m.now = t.clock.ms;
              break;
            case 'start': {
              const newPhone = `+1424555${String(1000 + (phoneCounter++ % 9000)).padStart(4, '0')}`;
              newNumbers.push(newPhone);
              const expected = m.expectStart();
              const result = await t.start('receptionist', { purpose: 'phone_change', newPhone, channel: 'email' });
              expect(result.status === 'started' ? 'started' : result.reason).toBe(expected);
              if (result.status === 'refused' && result.reason === 'daily_limit') {
                expect(Date.parse(result.retryAt!)).toBe(m.attemptsToday()[m.attemptsToday().length - RULES.maxAttemptsPerDay]! + RULES.attemptWindowSeconds * 1000);
              }
              if (result.status === 'started') {
                m.attempts.push(m.now);
                m.challenge = { id: result.challenge.id, code: t.outbox.lastCode(inbox), previous: null, sentAt: m.now, expiresAt: m.now + RULES.codeTtlSeconds * 1000, sends: 1, open: true };
              }
              break;
            }
            case 'resend': {
              if (!m.challenge) break;
              const expected = m.expectResend();
              const result = await t.resend('receptionist', m.challenge.id);
              expect(result.status === 'started' ? 'started' : result.reason).toBe(expected);
              if (result.status === 'started') {
                const c = m.challenge;
                c.previous = c.code;
                c.code = t.outbox.lastCode(inbox);
                c.sentAt = m.now;
                c.expiresAt = m.now + RULES.codeTtlSeconds * 1000;
                c.sends += 1;
              }
              break;
            }
            case 'verify': {
              if (!m.challenge) break;
              const c = m.challenge;
              const code = command.code === 'current' ? c.code : command.code === 'stale' && c.previous && c.previous !== c.code ? c.previous : c.code === '000000' ? '999999' : '000000';
              const right = code === c.code;
              const expected = m.expectVerify(right);
              const result = await t.verify('receptionist', c.id, code);
              expect(result.status === 'verified' ? 'verified' : result.reason).toBe(expected);
              if (expected === 'verified') {
                c.open = false;
                verifiedChanges += 1;
              } else if (expected === 'code_invalid' || expected === 'too_many_failures') {
                if (m.lockedUntil() === null) m.failures.push(m.now);
                if (expected === 'too_many_failures' && c.open && m.lockedUntil() !== null) c.open = false;
              }
              break;
            }
          }
        }
        for (const number of newNumbers) expect(t.outbox.to(number)).toEqual([]);
        expect(verifiedChanges).toBeLessThanOrEqual(m.attempts.length);
        const status = await t.status('receptionist');
        expect(status.attemptsToday.used).toBe(m.attemptsToday().length);
      }),
      { numRuns: backend === 'pglite' ? 40 : 15 },
    );
  }, 300_000);
});
