import { describe, expect, it } from 'vitest';
import { unseenCallQuery, unseenCallRefOf } from './unseen-call';
import { unseenCallQuerySchema } from './webhook-params';

describe('a fallback call’s reference on its callback URLs', () => {
  const roundTrip = (query: Record<string, string>) => unseenCallRefOf(unseenCallQuerySchema.parse(Object.fromEntries(new URLSearchParams(query))));

  it('reads back the caller, the number and whom it rang', () => {
    expect(roundTrip(unseenCallQuery({ from: '+13105552007', to: '+13105550100', rang: ['usr_a', 'usr_b'] })))
      .toEqual({ from: '+13105552007', to: '+13105550100', rang: ['usr_a', 'usr_b'] });
    expect(roundTrip(unseenCallQuery({ from: '+13105552007', to: '+13105550100' }))).toEqual({ from: '+13105552007', to: '+13105550100', rang: [] });
  });

  it('names at most 50 rung users, and nothing without both parties', () => {
    const many = Array.from({ length: 80 }, (_, i) => `usr_${i}`);
    expect(roundTrip(unseenCallQuery({ from: '+1', to: '+2', rang: many }))?.rang).toEqual(many.slice(0, 50));
    expect(unseenCallQuery({ from: '', to: '+13105550100' })).toEqual({});
    expect(unseenCallRefOf({ to: '+13105550100' })).toBeNull();
    expect(unseenCallRefOf({})).toBeNull();
  });
});
