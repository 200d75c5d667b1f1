import { describe, expect, it } from 'vitest';
import { decideDial, type CallPolicy } from './policy';

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
});
