// The numbers "Twilio" has for sale: a deterministic, seeded inventory, so searches give the same
// answers on every run. Area codes 212, 310 and 415 are sold out, as popular ones often are.
import type { Capabilities } from './store';

export interface AvailableNumber {
  phoneNumber: string;
  type: 'local' | 'toll-free';
  locality: string;
  region: string;
  postalCode: string;
  rateCenter: string;
  latitude: string;
  longitude: string;
  capabilities: Capabilities;
}

export const SOLD_OUT_AREA_CODES: ReadonlySet<string> = new Set(['212', '310', '415']);

const LOCAL_AREAS: Array<[code: string, locality: string, region: string, postal: string, lat: number, lon: number]> = [
  ['201', 'Jersey City', 'NJ', '07302', 40.72, -74.05], ['206', 'Seattle', 'WA', '98101', 47.61, -122.33],
  ['212', 'New York', 'NY', '10001', 40.75, -73.99], ['305', 'Miami', 'FL', '33101', 25.77, -80.19],
  ['310', 'Beverly Hills', 'CA', '90210', 34.07, -118.4], ['312', 'Chicago', 'IL', '60601', 41.88, -87.63],
  ['404', 'Atlanta', 'GA', '30301', 33.75, -84.39], ['415', 'San Francisco', 'CA', '94102', 37.77, -122.42],
  ['512', 'Austin', 'TX', '78701', 30.27, -97.74], ['617', 'Boston', 'MA', '02108', 42.36, -71.06],
  ['646', 'New York', 'NY', '10011', 40.74, -74.0], ['702', 'Las Vegas', 'NV', '89101', 36.17, -115.14],
  ['720', 'Denver', 'CO', '80202', 39.74, -104.99], ['786', 'Miami', 'FL', '33130', 25.76, -80.2],
  ['818', 'Burbank', 'CA', '91502', 34.18, -118.31], ['949', 'Irvine', 'CA', '92618', 33.68, -117.83],
];
const TOLL_FREE = ['800', '833', '844', '855', '866', '877', '888'];
const PER_AREA = 40;

/** mulberry32: tiny, fast, good enough for a fixed inventory. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function numbersFor(code: string, random: () => number, used: Set<string>): string[] {
  const out: string[] = [];
  while (out.length < PER_AREA) {
    const exchange = 200 + Math.floor(random() * 799);
    const line = Math.floor(random() * 10000);
    const n = `+1${code}${exchange}${String(line).padStart(4, '0')}`;
    if (!used.has(n)) {
      used.add(n);
      out.push(n);
    }
  }
  return out;
}

export function seedInventory(seed = 20_240_101): AvailableNumber[] {
  const random = prng(seed);
  const used = new Set<string>();
  const out: AvailableNumber[] = [];
  for (const [code, locality, region, postal, lat, lon] of LOCAL_AREAS) {
    const numbers = numbersFor(code, random, used);
    if (SOLD_OUT_AREA_CODES.has(code)) continue;
    for (const phoneNumber of numbers) {
      out.push({
        phoneNumber, type: 'local', locality, region, postalCode: postal, rateCenter: locality.toUpperCase().slice(0, 10),
        latitude: lat.toFixed(6), longitude: lon.toFixed(6),
        capabilities: { voice: random() < 0.95, sms: random() < 0.85, mms: random() < 0.6, fax: random() < 0.3 },
      });
    }
  }
  for (const code of TOLL_FREE) {
    for (const phoneNumber of numbersFor(code, random, used)) {
      out.push({
        phoneNumber, type: 'toll-free', locality: '', region: '', postalCode: '', rateCenter: '', latitude: '0.0', longitude: '0.0',
        capabilities: { voice: true, sms: random() < 0.9, mms: false, fax: random() < 0.5 },
      });
    }
  }
  return out;
}

const KEYPAD: Record<string, string> = { a: '2', b: '2', c: '2', d: '3', e: '3', f: '3', g: '4', h: '4', i: '4', j: '5', k: '5', l: '5', m: '6', n: '6', o: '6', p: '7', q: '7', r: '7', s: '7', t: '8', u: '8', v: '8', w: '9', x: '9', y: '9', z: '9' };

/**
 * Twilio's `Contains`: digits, letters (keypad digits) and `*` (any one digit). A pattern as long
 * as the national number matches it whole (so `510555****` means "starts with", `******2020`
 * "ends with"); a shorter one matches anywhere.
 */
export function containsMatcher(pattern: string): (e164: string) => boolean {
  const clean = pattern.replace(/^\+1/, '').toLowerCase();
  if (!/^[0-9a-z*]{2,}$/.test(clean)) throw new Error('Contains must be at least two of 0-9, a-z, *');
  const body = [...clean].map((c) => (c === '*' ? '\\d' : (KEYPAD[c] ?? c))).join('');
  const regex = clean.length >= 10 ? new RegExp(`^${body}$`) : new RegExp(body);
  return (e164) => regex.test(e164.replace(/^\+1/, ''));
}

export interface NumberSearch {
  type: 'local' | 'toll-free';
  areaCode?: string;
  contains?: string;
  smsEnabled?: boolean;
  mmsEnabled?: boolean;
  voiceEnabled?: boolean;
  inRegion?: string;
  inPostalCode?: string;
}

export function searchInventory(inventory: Iterable<AvailableNumber>, q: NumberSearch): AvailableNumber[] {
  const contains = q.contains ? containsMatcher(q.contains) : null;
  return [...inventory].filter(
    (n) =>
      n.type === q.type &&
      (!q.areaCode || n.phoneNumber.startsWith(`+1${q.areaCode}`)) &&
      (!contains || contains(n.phoneNumber)) &&
      (q.smsEnabled === undefined || n.capabilities.sms === q.smsEnabled) &&
      (q.mmsEnabled === undefined || n.capabilities.mms === q.mmsEnabled) &&
      (q.voiceEnabled === undefined || n.capabilities.voice === q.voiceEnabled) &&
      (!q.inRegion || n.region === q.inRegion.toUpperCase()) &&
      (!q.inPostalCode || n.postalCode === q.inPostalCode),
  );
}
