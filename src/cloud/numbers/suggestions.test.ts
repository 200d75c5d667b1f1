import { describe, expect, it } from 'vitest';
import { NANP_OVERLAYS, nearbyCodes, plan } from './suggestions';

describe('NANP_OVERLAYS', () => {
  it('has the seed’s example and is symmetric', () => {
    expect(NANP_OVERLAYS['310']).toContain('424');
    expect(NANP_OVERLAYS['424']).toContain('310');
    for (const [code, overlays] of Object.entries(NANP_OVERLAYS)) {
      expect(overlays).not.toContain(code);
      for (const other of overlays) expect(NANP_OVERLAYS[other], `${other} ↔ ${code}`).toContain(code);
    }
  });
});

describe('plan', () => {
  it('a sold-out local area code: its overlays, toll-free, and a nearby search', () => {
    const p = plan({ country: 'US', type: 'local', match: '310', matchAt: 'first' }, '310', true);
    expect(p.searches.map((s) => [s.kind, s.query])).toEqual([
      ['overlay', { country: 'US', type: 'local', match: '424', matchAt: 'first' }],
      ['toll-free', { country: 'US', type: 'toll-free', matchAt: 'any' }],
    ]);
    expect(p.nearbyOf).toBe('310');
  });

  it('keeps the capability filters on the alternatives and offers to drop them', () => {
    const p = plan({ country: 'US', type: 'local', match: '212', matchAt: 'first', sms: true, mms: true }, '212', true);
    expect(p.searches.filter((s) => s.kind === 'overlay').map((s) => s.query.match)).toEqual(['646', '332', '917']);
    expect(p.searches.every((s) => s.kind === 'broaden' || (s.query.sms && s.query.mms))).toBe(true);
    expect(p.searches.find((s) => s.kind === 'broaden')!.query).toEqual({ country: 'US', type: 'local', match: '212', matchAt: 'first' });
  });

  it('a phrase at the end: search it anywhere; no area code, no nearby search', () => {
    const p = plan({ country: 'US', type: 'local', match: 'GLOW', matchAt: 'last' }, null, true);
    expect(p.searches.map((s) => s.kind)).toEqual(['toll-free', 'broaden']);
    expect(p.searches[1]!.query).toEqual({ country: 'US', type: 'local', match: 'GLOW', matchAt: 'any' });
    expect(p.nearbyOf).toBeNull();
  });

  it('toll-free already, in a country without toll-free prices: nothing to try but the constant ones', () => {
    expect(plan({ country: 'US', type: 'toll-free', matchAt: 'any' }, null, true)).toEqual({ searches: [], nearbyOf: null });
    expect(plan({ country: 'AU', type: 'local', matchAt: 'any' }, null, false)).toEqual({ searches: [], nearbyOf: null });
  });
});

describe('nearbyCodes', () => {
  it('groups North American numbers by area code, most first, skipping the excluded', () => {
    const found = [
      { phoneNumber: '+13235550001', locality: 'Los Angeles' },
      { phoneNumber: '+12135550002', locality: 'Los Angeles' },
      { phoneNumber: '+13235550003', locality: 'Los Angeles' },
      { phoneNumber: '+14245550004', locality: 'Beverly Hills' },
      { phoneNumber: '+442071234567', locality: 'London' },
    ];
    expect(nearbyCodes(found, new Set(['310', '424']))).toEqual([
      { code: '323', locality: 'Los Angeles', count: 2 },
      { code: '213', locality: 'Los Angeles', count: 1 },
    ]);
  });
});
