import { describe, expect, it } from 'vitest';
import { numbersIn, withNames } from './alert-text';

describe('alert text', () => {
  it('finds the E.164 numbers a message mentions, once each', () => {
    expect(numbersIn('Missed call from +13105552007 on Main; call +13105552007 or +442071234567')).toEqual(['+13105552007', '+442071234567']);
    expect(numbersIn('Booked for 3 pm, room 12')).toEqual([]);
  });

  it('writes a known number as the contact’s name, an unknown one as people write it', () => {
    const names = { '+13105552007': 'Jane Doe', '+13105550199': null };
    expect(withNames('Missed call from +13105552007 on Main', names)).toBe('Missed call from Jane Doe ((310) 555-2007) on Main');
    expect(withNames('Missed call from +13105550199', names)).toBe('Missed call from (310) 555-0199');
    expect(withNames('Missed call from Jane Doe', names)).toBe('Missed call from Jane Doe');
  });
});
