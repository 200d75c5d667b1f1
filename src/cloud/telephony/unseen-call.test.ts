import { describe, expect, it } from 'vitest';
import { rangThatFits, unseenCallQuery, unseenCallRefOf } from './unseen-call-ref';
import { unseenCallQuerySchema } from './webhook-params';

describe('a fallback call’s reference on its callback URLs', () => {
  const roundTrip = (query: Record<string, string>) => unseenCallRefOf(unseenCallQuerySchema.parse(Object.fromEntries(new URLSearchParams(query))));

  it('reads back the caller, the number and whom it rang', () => {
    expect(roundTrip(unseenCallQuery({ from: '+13105552007', to: '+13105550100', rang: ['usr_a', 'usr_b'] })))
      .toEqual({ from: '+13105552007', to: '+13105550100', rang: ['usr_a', 'usr_b'] });
    expect(roundTrip(unseenCallQuery({ from: '+13105552007', to: '+13105550100' }))).toEqual({ from: '+13105552007', to: '+13105550100', rang: [] });
  });

  it('names nothing without both parties', () => {
    expect(unseenCallQuery({ from: '', to: '+13105550100' })).toEqual({});
    expect(unseenCallRefOf({ to: '+13105550100' })).toBeNull();
    expect(unseenCallRefOf({})).toBeNull();
  });

  it('keeps the rung users a document repeating the URL for each of them can carry', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `usr_${String(i).padStart(20, '0')}`); // 24 characters, like real ids
    expect(rangThatFits(ids(10), 10)).toEqual(ids(10)); // a front desk: everyone
    const large = rangThatFits(ids(100), 100); // the largest Ring All list: its first users only
    expect(large).toEqual(ids(100).slice(0, large.length));
    expect(large.length).toBeGreaterThan(0);
    expect(large.join(',').length * 100).toBeLessThanOrEqual(16_000);
  });
});
