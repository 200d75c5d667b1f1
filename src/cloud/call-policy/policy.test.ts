import { describe, expect, it } from 'vitest';
import { decideDestination, decideDial, type CallPolicy } from './policy';

const US: CallPolicy = { country: 'US', allowedCountries: null, outboundCallsPerUserHour: 3 };

describe('decideDial', () => {
  it.each([
    // [policy, to, dials in the last hour, ok or refusal code]
    [US, '+13105550123', 0, 'ok'],
    [US, '+13105550123', 2, 'ok'],
    [US, '+13105550123', 3, 'OUTBOUND_CALL_LIMIT'],
    [US, '+18765550123', 0, 'CALL_DESTINATION_NOT_ALLOWED'], // Jamaica shares +1: told apart by area code
    [US, '+14165550123', 0, 'CALL_DESTINATION_NOT_ALLOWED'], // Toronto, Canada
    [US, '+442071234567', 0, 'CALL_DESTINATION_NOT_ALLOWED'],
    [US, '+882123456789', 0, 'CALL_DESTINATION_NOT_ALLOWED'], // international networks: no country
    [{ ...US, allowedCountries: ['US', 'CA'] }, '+14165550123', 0, 'ok'],
    [{ ...US, allowedCountries: ['CA'] }, '+13105550123', 0, 'CALL_DESTINATION_NOT_ALLOWED'],
    [{ country: 'GB', allowedCountries: null, outboundCallsPerUserHour: 60 }, '+442071234567', 59, 'ok'],
    [{ ...US, allowedCountries: ['US', 'GB'] }, '+442071234567', 3, 'OUTBOUND_CALL_LIMIT'],
  ] as const)('%o dialling %s after %i dials: %s', (policy, to, dials, expected) => {
    const decision = decideDial(policy as CallPolicy, to, dials);
    expect(decision.ok ? 'ok' : decision.code).toBe(expected);
  });

  it('says which country was refused and where an admin allows it', () => {
    const decision = decideDial(US, '+18765550123', 0);
    expect(decision).toMatchObject({ ok: false, country: 'JM', message: expect.stringMatching(/^Calls to Jamaica \(JM\) are not allowed .*Settings → Call policy/) });
  });

  it('past the cap, says the limit (a workflow’s log names whose it is)', () => {
    expect(decideDial(US, '+13105550123', 3)).toMatchObject({ ok: false, code: 'OUTBOUND_CALL_LIMIT', limit: 3, to: '+13105550123' });
  });
});

describe('decideDestination', () => {
  it.each([
    [US, '+13105550123', 'ok'],
    [US, '+18765550123', 'CALL_DESTINATION_NOT_ALLOWED'],
    [US, '+15550001001', 'CALL_DESTINATION_NOT_ALLOWED'], // no country can be told: refused
    [{ ...US, allowedCountries: ['US', 'JM'] }, '+18765550123', 'ok'],
  ] as const)('%o texting %s: %s', (policy, to, expected) => {
    const decision = decideDestination(policy as CallPolicy, to, 'text');
    expect(decision.ok ? 'ok' : decision.code).toBe(expected);
  });

  it('words a text’s refusal as a text’s, a call’s as a call’s, and names the number refused', () => {
    expect(decideDestination(US, '+18765550123', 'text')).toMatchObject({ ok: false, to: '+18765550123', message: expect.stringMatching(/^Texts to Jamaica \(JM\) are not allowed for your practice\./) });
    expect(decideDestination(US, '+18765550123', 'call')).toMatchObject({ ok: false, message: expect.stringMatching(/^Calls to Jamaica \(JM\)/) });
  });
});
