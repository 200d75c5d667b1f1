import { describe, expect, it } from 'vitest';
import { dmarcAlignment, dmarcNames, parseDmarc, readDmarc } from './dmarc';
import type { TxtLookup } from './verification';

describe('parseDmarc (RFC 7489)', () => {
  it.each([
    ['v=DMARC1; p=reject; adkim=s', { adkim: 's', p: 'reject' }],
    ['v=DMARC1;p=quarantine;adkim=s;aspf=r', { adkim: 's', p: 'quarantine' }],
    ['  V = dmarc1 ;  P = Reject ; ADKIM = S ; ', { adkim: 's', p: 'reject' }],
    ['v=DMARC1; p=none', { adkim: 'r', p: 'none' }],
    ['v=DMARC1; p=reject; adkim=r', { adkim: 'r', p: 'reject' }],
    // A value RFC 7489 does not define is the default (relaxed); sp= is policy, not alignment.
    ['v=DMARC1; p=reject; adkim=x', { adkim: 'r', p: 'reject' }],
    ['v=DMARC1; p=none; sp=reject', { adkim: 'r', p: 'none' }],
    // No valid p= but a rua=: applied as p=none.
    ['v=DMARC1; adkim=s; rua=mailto:d@glow.example', { adkim: 's', p: 'none' }],
    ['v=DMARC1; p=reject; adkim=s; stray; rua=mailto:d@glow.example', { adkim: 's', p: 'reject' }],
  ])('%s', (value, record) => expect(parseDmarc(value)).toEqual(record));

  it.each([
    'p=reject; v=DMARC1; adkim=s', // v= must come first
    'v=DMARC2; p=reject; adkim=s',
    'v=DMARC1; adkim=s', // no policy and no rua=: discarded
    'v=DMARC1; p=block; adkim=s',
    'v=spf1 include:_spf.example ~all',
    '',
  ])('not applied: %s', (value) => expect(parseDmarc(value)).toBeNull());
});

describe('readDmarc', () => {
  it('reads the one DMARC record among the TXT values; several, or none, or DNS without an answer are said apart', () => {
    expect(readDmarc({ records: ['google-site-verification=x', 'v=DMARC1; p=reject; adkim=s'] })).toEqual({ record: { adkim: 's', p: 'reject' } });
    expect(readDmarc({ records: ['v=DMARC1; p=reject; adkim=s', 'v=DMARC1; p=none'] })).toEqual({ record: null });
    expect(readDmarc({ records: ['v=DMARC1; adkim=s'] })).toEqual({ record: null });
    expect(readDmarc({ records: ['something else'] })).toEqual({ none: true });
    expect(readDmarc({ error: 'ENOTFOUND' })).toEqual({ none: true });
    expect(readDmarc({ error: 'ENODATA' })).toEqual({ none: true });
    expect(readDmarc({ error: 'ETIMEOUT' })).toEqual({ unanswered: 'ETIMEOUT' });
  });
});

describe('dmarcAlignment', () => {
  const zone = (records: Record<string, string[] | string>) => {
    const asked: string[] = [];
    const lookup = async (name: string): Promise<TxtLookup> => {
      asked.push(name);
      const found = records[name];
      return typeof found === 'string' ? { error: found } : found ? { records: found } : { error: 'ENOTFOUND' };
    };
    return { asked, lookup };
  };

  it('walks up from the domain to its two-label parent', () => {
    expect(dmarcNames('mail.glow.example')).toEqual(['_dmarc.mail.glow.example', '_dmarc.glow.example']);
    expect(dmarcNames('glow.example')).toEqual(['_dmarc.glow.example']);
  });

  it('the nearest record decides; none anywhere is relaxed; DNS without an answer is unknown', async () => {
    expect(await dmarcAlignment('glow.example', zone({ '_dmarc.glow.example': ['v=DMARC1; p=reject; adkim=s'] }).lookup)).toEqual({ strict: true });
    expect(await dmarcAlignment('glow.example', zone({ '_dmarc.glow.example': ['v=DMARC1; p=reject'] }).lookup)).toEqual({ strict: false });
    expect(await dmarcAlignment('glow.example', zone({}).lookup)).toEqual({ strict: false });
    // A subdomain's own record applies to it, before its parent's; without one, the parent's does.
    const own = zone({ '_dmarc.mail.glow.example': ['v=DMARC1; p=none'], '_dmarc.glow.example': ['v=DMARC1; p=reject; adkim=s'] });
    expect(await dmarcAlignment('mail.glow.example', own.lookup)).toEqual({ strict: false });
    expect(own.asked).toEqual(['_dmarc.mail.glow.example']);
    expect(await dmarcAlignment('mail.glow.example', zone({ '_dmarc.glow.example': ['v=DMARC1; p=reject; adkim=s'] }).lookup)).toEqual({ strict: true });
    expect(await dmarcAlignment('glow.example', zone({ '_dmarc.glow.example': 'ETIMEOUT' }).lookup)).toEqual({ unanswered: 'ETIMEOUT' });
  });
});
