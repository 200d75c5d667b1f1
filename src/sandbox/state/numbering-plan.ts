// The numbering plan the sandbox's "Twilio" sells from: which prefixes exist, where they are, what
// their numbers can do, and which are sold out. Used to seed the inventory and to fill in the
// geographic webhook parameters (FromCity, CallerState, ToCountry, …) for any number.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type IsoCountry = 'US' | 'CA' | 'GB' | 'AU';
export type NumberType = 'local' | 'mobile' | 'toll-free';
export type AddressRequirement = 'none' | 'any' | 'local' | 'foreign';

export interface Capabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
  fax: boolean;
}

/** Probability that a number of an area has each capability (voice, sms, mms, fax). */
type CapabilityOdds = readonly [voice: number, sms: number, mms: number, fax: number];

export interface NumberingArea {
  country: IsoCountry;
  type: NumberType;
  /** E.164 digits after the "+" that every number of the area starts with, e.g. "1512", "4420". */
  prefix: string;
  /** Digits after the prefix. */
  subscriberDigits: number;
  /** NANP area code (US/CA), for AreaCode searches. */
  areaCode?: string;
  locality?: string;
  /** State or province (US/CA only, as on Twilio). */
  region?: string;
  postalCode?: string;
  latitude?: number;
  longitude?: number;
  /** How many numbers are for sale at start; 0 = sold out. */
  stock: number;
  odds: CapabilityOdds;
  addressRequirements: AddressRequirement;
  /** Area codes that overlay this one (same place, other code), for "nearby" suggestions. */
  overlays?: readonly string[];
}

const US_LOCAL: CapabilityOdds = [0.95, 0.85, 0.6, 0.3];
const CA_LOCAL: CapabilityOdds = [1, 0.8, 0.5, 0.2];
const TOLL_FREE_NANP: CapabilityOdds = [1, 0.9, 0, 0.5];
const VOICE_ONLY: CapabilityOdds = [1, 0, 0, 0];
const MOBILE: CapabilityOdds = [1, 1, 0, 0];

type LocalRow = [code: string, locality: string, region: string, postal: string, lat: number, lon: number, stock?: number, overlays?: string[]];

// Popular codes (212, 310, 415) are sold out, as they often are on Twilio; their overlays have stock.
const US_LOCAL_ROWS: LocalRow[] = [
  ['201', 'Jersey City', 'NJ', '07302', 40.72, -74.05], ['206', 'Seattle', 'WA', '98101', 47.61, -122.33],
  ['212', 'New York', 'NY', '10001', 40.75, -73.99, 0, ['332', '646', '917']], ['213', 'Los Angeles', 'CA', '90012', 34.05, -118.24, 40, ['323']],
  ['305', 'Miami', 'FL', '33101', 25.77, -80.19, 40, ['786']], ['310', 'Beverly Hills', 'CA', '90210', 34.07, -118.4, 0, ['424']],
  ['312', 'Chicago', 'IL', '60601', 41.88, -87.63], ['323', 'Los Angeles', 'CA', '90028', 34.1, -118.33, 40, ['213']],
  ['332', 'New York', 'NY', '10016', 40.74, -73.98, 40, ['212', '646', '917']], ['404', 'Atlanta', 'GA', '30301', 33.75, -84.39],
  ['415', 'San Francisco', 'CA', '94102', 37.77, -122.42, 0, ['628']], ['424', 'Beverly Hills', 'CA', '90211', 34.06, -118.38, 40, ['310']],
  ['512', 'Austin', 'TX', '78701', 30.27, -97.74], ['617', 'Boston', 'MA', '02108', 42.36, -71.06],
  ['628', 'San Francisco', 'CA', '94103', 37.77, -122.41, 40, ['415']], ['646', 'New York', 'NY', '10011', 40.74, -74.0, 40, ['212', '332', '917']],
  ['702', 'Las Vegas', 'NV', '89101', 36.17, -115.14], ['720', 'Denver', 'CO', '80202', 39.74, -104.99],
  ['786', 'Miami', 'FL', '33130', 25.76, -80.2, 40, ['305']], ['818', 'Burbank', 'CA', '91502', 34.18, -118.31],
  ['917', 'New York', 'NY', '10019', 40.77, -73.98, 40, ['212', '332', '646']], ['949', 'Irvine', 'CA', '92618', 33.68, -117.83],
];
const CA_LOCAL_ROWS: LocalRow[] = [
  ['403', 'Calgary', 'AB', 'T2P', 51.05, -114.07], ['416', 'Toronto', 'ON', 'M5H', 43.65, -79.38],
  ['514', 'Montreal', 'QC', 'H2Y', 45.5, -73.57], ['604', 'Vancouver', 'BC', 'V6B', 49.28, -123.12],
];
export const NANP_TOLL_FREE_CODES = ['800', '833', '844', '855', '866', '877', '888'] as const;

function localArea(country: 'US' | 'CA', [code, locality, region, postal, lat, lon, stock = 40, overlays]: LocalRow): NumberingArea {
  return {
    country, type: 'local', prefix: `1${code}`, subscriberDigits: 7, areaCode: code, locality, region, postalCode: postal,
    latitude: lat, longitude: lon, stock, odds: country === 'US' ? US_LOCAL : CA_LOCAL, addressRequirements: 'none',
    ...(overlays ? { overlays } : {}),
  };
}

export const NUMBERING_PLAN: readonly NumberingArea[] = [
  ...US_LOCAL_ROWS.map((row) => localArea('US', row)),
  ...NANP_TOLL_FREE_CODES.map((code): NumberingArea => ({ country: 'US', type: 'toll-free', prefix: `1${code}`, subscriberDigits: 7, areaCode: code, stock: 40, odds: TOLL_FREE_NANP, addressRequirements: 'none' })),
  ...CA_LOCAL_ROWS.map((row) => localArea('CA', row)),
  ...(['800', '888'] as const).map((code): NumberingArea => ({ country: 'CA', type: 'toll-free', prefix: `1${code}`, subscriberDigits: 7, areaCode: code, stock: 15, odds: TOLL_FREE_NANP, addressRequirements: 'none' })),
  { country: 'GB', type: 'local', prefix: '4420', subscriberDigits: 8, locality: 'London', stock: 30, odds: VOICE_ONLY, addressRequirements: 'any' },
  { country: 'GB', type: 'local', prefix: '44161', subscriberDigits: 7, locality: 'Manchester', stock: 20, odds: VOICE_ONLY, addressRequirements: 'any' },
  { country: 'GB', type: 'local', prefix: '44121', subscriberDigits: 7, locality: 'Birmingham', stock: 20, odds: VOICE_ONLY, addressRequirements: 'any' },
  { country: 'GB', type: 'mobile', prefix: '447', subscriberDigits: 9, stock: 30, odds: MOBILE, addressRequirements: 'none' },
  { country: 'GB', type: 'toll-free', prefix: '44800', subscriberDigits: 7, stock: 15, odds: VOICE_ONLY, addressRequirements: 'any' },
  { country: 'AU', type: 'local', prefix: '612', subscriberDigits: 8, locality: 'Sydney', stock: 25, odds: VOICE_ONLY, addressRequirements: 'local' },
  { country: 'AU', type: 'local', prefix: '613', subscriberDigits: 8, locality: 'Melbourne', stock: 25, odds: VOICE_ONLY, addressRequirements: 'local' },
  { country: 'AU', type: 'mobile', prefix: '614', subscriberDigits: 8, stock: 25, odds: MOBILE, addressRequirements: 'none' },
  { country: 'AU', type: 'toll-free', prefix: '611800', subscriberDigits: 6, stock: 15, odds: VOICE_ONLY, addressRequirements: 'any' },
];

export const COUNTRY_NAMES: Record<IsoCountry, string> = { US: 'United States', CA: 'Canada', GB: 'United Kingdom', AU: 'Australia' };

export const SOLD_OUT_AREA_CODES: ReadonlySet<string> = new Set(NUMBERING_PLAN.filter((a) => a.areaCode && a.type === 'local' && a.stock === 0).map((a) => a.areaCode!));

/** The most specific area a number belongs to (longest prefix), sold-out areas included. */
export function areaOf(e164: string): NumberingArea | undefined {
  const digits = e164.replace(/^\+/, '');
  let best: NumberingArea | undefined;
  for (const area of NUMBERING_PLAN) {
    if (digits.startsWith(area.prefix) && digits.length === area.prefix.length + area.subscriberDigits && (!best || area.prefix.length > best.prefix.length)) best = area;
  }
  return best;
}

/** Whether `code` is a real North American area code (what Twilio checks before 21451). */
export function isValidNanpAreaCode(code: string): boolean {
  if (!/^[2-9]\d{2}$/.test(code)) return false;
  return ['2345678', '4567890'].some((rest) => parsePhoneNumberFromString(`+1${code}${rest}`)?.isValid() === true);
}

export function isTollFreeNanpCode(code: string): boolean {
  return (NANP_TOLL_FREE_CODES as readonly string[]).includes(code);
}

export interface NumberGeo {
  city: string;
  state: string;
  zip: string;
  country: string;
}

/**
 * What Twilio's voice webhooks report about a phone number's place (FromCity, FromState, …):
 * city/state/zip for US and Canadian geographic numbers, the country for every number it knows.
 * Unknown values are empty strings, as Twilio sends them.
 */
export function geoOf(e164: string): NumberGeo | null {
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) return null;
  const area = areaOf(e164);
  if (area) {
    const nanpGeo = (area.country === 'US' || area.country === 'CA') && area.type === 'local';
    return {
      city: nanpGeo ? (area.locality ?? '').toUpperCase() : '',
      state: nanpGeo ? (area.region ?? '') : '',
      zip: nanpGeo ? (area.postalCode ?? '') : '',
      country: area.country,
    };
  }
  const parsed = parsePhoneNumberFromString(e164);
  const country = parsed?.country ?? (e164.startsWith('+1') ? 'US' : '');
  return { city: '', state: '', zip: '', country };
}
