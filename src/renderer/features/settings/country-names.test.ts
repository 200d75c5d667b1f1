import { describe, expect, it } from 'vitest';
import { countryChoices, countryLabel, matchCountries } from './country-names';

describe('country names for the call policy', () => {
  it('names a country the way the cloud’s refusals do', () => {
    expect(countryLabel('US')).toBe('United States (US)');
    expect(countryLabel('JM')).toBe('Jamaica (JM)');
  });

  it('offers every country a phone number can belong to, by name', () => {
    const all = countryChoices();
    expect(all.length).toBeGreaterThan(200);
    expect(all.map((c) => c.code)).toEqual(expect.arrayContaining(['US', 'CA', 'GB', 'JM']));
    expect(all.map((c) => c.label)).toEqual([...all.map((c) => c.label)].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('finds the country with a typed code first, then names that start with the text, accents ignored', () => {
    const all = countryChoices();
    expect(matchCountries(all, 'ca')[0]?.code).toBe('CA');
    expect(matchCountries(all, 'uni').slice(0, 3).map((c) => c.code)).toEqual(['AE', 'GB', 'US']);
    expect(matchCountries(all, 'cote').map((c) => c.code)).toContain('CI');
    expect(matchCountries(all, '  ')).toHaveLength(all.length);
    expect(matchCountries(all, 'zzzz')).toEqual([]);
  });
});
