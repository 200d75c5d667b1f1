import { describe, expect, it } from 'vitest';
import { recordsFor } from './records';
import { checkRecord, decideStatus, type RecordCheck } from './verification';

const [verification, dkim] = recordsFor('glowmedspa.com', { verificationToken: 'tok'.repeat(11), dkimSelector: 'ax0123456789', dkimPublicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOC' });

describe('checkRecord', () => {
  it('finds the verification value among other TXT records, exactly', () => {
    expect(checkRecord(verification!, { records: ['google-site-verification=x', verification!.value] }).outcome).toBe('found');
    expect(checkRecord(verification!, { records: [`"${verification!.value}"`] })).toMatchObject({ outcome: 'mismatch', message: expect.stringMatching(/none has the value issued here.*extra quotes/) });
  });

  it('matches the DKIM record by its key, whatever the spacing or the tags around it', () => {
    expect(checkRecord(dkim!, { records: ['v=DKIM1;k=rsa; p=MIIBIjANBgkqhkiG9w0B AQEFAAOC'] }).outcome).toBe('found');
    expect(checkRecord(dkim!, { records: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOD'] })).toMatchObject({ outcome: 'mismatch', message: expect.stringContaining('its key (p=) is not the one issued here') });
    expect(checkRecord(dkim!, { records: ['v=DKIM1; k=rsa; p='] }).outcome).toBe('mismatch');
  });

  it.each([
    ['ENOTFOUND', 'nxdomain', /No record named _aesthetix-verification\.glowmedspa\.com exists \(NXDOMAIN\)/],
    ['ENODATA', 'no_record', /has no TXT record/],
    ['ETIMEOUT', 'timeout', /did not answer in time.*\(timeout\)/],
    ['ESERVFAIL', 'server_error', /failed \(ESERVFAIL\)/],
  ] as const)('%s → %s, said plainly', (error, outcome, words) => {
    const check = checkRecord(verification!, { error });
    expect(check.outcome).toBe(outcome);
    expect(check.message).toMatch(words);
  });
});

const check = (purpose: RecordCheck['purpose'], outcome: RecordCheck['outcome']): RecordCheck => ({ purpose, outcome, message: `${purpose} ${outcome}` });

describe('decideStatus', () => {
  it.each([
    ['pending', ['found', 'found'], { status: 'verified', failure: null, note: null }],
    ['failed', ['found', 'found'], { status: 'verified', failure: null, note: null }],
    ['pending', ['nxdomain', 'found'], { status: 'failed', failure: 'verification nxdomain', note: null }],
    ['verified', ['found', 'mismatch'], { status: 'failed', failure: 'dkim mismatch', note: null }],
    // A definite problem wins over a timeout of the other record.
    ['verified', ['timeout', 'no_record'], { status: 'failed', failure: 'dkim no_record', note: null }],
    // DNS not reached: a verified domain stays verified, saying so; a new one fails with the reason.
    ['verified', ['timeout', 'found'], { status: 'verified', failure: null, note: 'Still verified: the last check could not reach DNS. verification timeout' }],
    ['pending', ['found', 'server_error'], { status: 'failed', failure: 'dkim server_error', note: null }],
  ] as const)('%s + %j → %j', (previous, outcomes, decision) => {
    expect(decideStatus(previous, [check('verification', outcomes[0]), check('dkim', outcomes[1])])).toEqual(decision);
  });
});
