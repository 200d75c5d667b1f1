import { getCountries } from 'libphonenumber-js';

/** A country an admin can allow: its ISO code and the name people know it by. */
export interface CountryChoice {
  code: string;
  label: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** "United States (US)": the name with the code the cloud's refusals use. */
export function countryLabel(code: string): string {
  let name: string | undefined;
  try {
    name = regionNames.of(code);
  } catch {
    name = undefined; // Not a region Intl knows: the code alone still says which.
  }
  return name && name !== code ? `${name} (${code})` : code;
}

let choices: readonly CountryChoice[] | null = null;

/** Every country a phone number can belong to (libphonenumber's list, the one the cloud checks against), by name. */
export function countryChoices(): readonly CountryChoice[] {
  choices ??= getCountries()
    .map((code) => ({ code, label: countryLabel(code) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'));
  return choices;
}

const folded = (text: string): string => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/**
 * The choices whose name or code contains what was typed (accents ignored: "cote" finds Côte
 * d’Ivoire), best first: the country with that code ("CA" → Canada), then names that start with
 * it, then the rest by name.
 */
export function matchCountries(all: readonly CountryChoice[], query: string): CountryChoice[] {
  const wanted = folded(query.trim());
  if (wanted === '') return [...all];
  const rank = (c: CountryChoice): number => (folded(c.code) === wanted ? 0 : folded(c.label).startsWith(wanted) ? 1 : 2);
  return all
    .filter((c) => folded(c.label).includes(wanted))
    .map((c) => ({ c, rank: rank(c) }))
    .sort((a, b) => a.rank - b.rank) // stable: equal ranks keep the list's order by name
    .map(({ c }) => c);
}
