// The numbers "Twilio" has for sale: a deterministic inventory seeded from the numbering plan, so
// searches give the same answers on every run. Bought numbers leave it, released ones come back,
// and a second buyer (a control hook) can take numbers, as another Twilio customer would.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { NUMBERING_PLAN, type AddressRequirement, type Capabilities, type IsoCountry, type NumberingArea, type NumberType } from './numbering-plan';

export { SOLD_OUT_AREA_CODES } from './numbering-plan';

export interface AvailableNumber {
  phoneNumber: string;
  isoCountry: IsoCountry;
  type: NumberType;
  locality: string;
  region: string;
  postalCode: string;
  rateCenter: string;
  latitude: string;
  longitude: string;
  addressRequirements: AddressRequirement;
  capabilities: Capabilities;
}

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

function randomNumber(area: NumberingArea, random: () => number): string {
  let rest = '';
  // NANP exchanges start with 2-9; elsewhere the first subscriber digit is kept off 0 and 1 too.
  rest += String(2 + Math.floor(random() * 8));
  while (rest.length < area.subscriberDigits) rest += String(Math.floor(random() * 10));
  return `+${area.prefix}${rest}`;
}

function numbersFor(area: NumberingArea, random: () => number, used: Set<string>): string[] {
  const out: string[] = [];
  let attempts = 0;
  while (out.length < area.stock && attempts++ < area.stock * 50) {
    const n = randomNumber(area, random);
    if (used.has(n) || !parsePhoneNumberFromString(n)?.isValid()) continue;
    used.add(n);
    out.push(n);
  }
  return out;
}

export function seedInventory(seed = 20_240_101): AvailableNumber[] {
  const random = prng(seed);
  const used = new Set<string>();
  const out: AvailableNumber[] = [];
  for (const area of NUMBERING_PLAN) {
    const nanp = area.country === 'US' || area.country === 'CA';
    for (const phoneNumber of numbersFor(area, random, used)) {
      const [voice, sms, mms, fax] = area.odds;
      out.push({
        phoneNumber,
        isoCountry: area.country,
        type: area.type,
        locality: area.locality ?? '',
        region: nanp ? (area.region ?? '') : '',
        postalCode: nanp ? (area.postalCode ?? '') : '',
        rateCenter: nanp && area.locality ? area.locality.toUpperCase().replace(/\s+/g, '').slice(0, 10) : '',
        latitude: nanp && area.latitude !== undefined ? area.latitude.toFixed(6) : '',
        longitude: nanp && area.longitude !== undefined ? area.longitude.toFixed(6) : '',
        addressRequirements: area.addressRequirements,
        capabilities: { voice: random() < voice, sms: random() < sms, mms: random() < mms, fax: random() < fax },
      });
    }
  }
  return out;
}

const KEYPAD: Record<string, string> = { a: '2', b: '2', c: '2', d: '3', e: '3', f: '3', g: '4', h: '4', i: '4', j: '5', k: '5', l: '5', m: '6', n: '6', o: '6', p: '7', q: '7', r: '7', s: '7', t: '8', u: '8', v: '8', w: '9', x: '9', y: '9', z: '9' };

export class ContainsPatternError extends Error {}

/**
 * Twilio's `Contains`, as documented today: 2–16 characters of digits, letters (keypad digits) and
 * the meta-characters `*` (any one digit), `%` (any run of digits), `+` (anchors at the start) and
 * `$` (anchors at the end). Wildcards only at the ends of the digits, at least two non-meta
 * characters, no two meta-characters adjacent. Unanchored patterns match anywhere in the E.164
 * digits, so the older full-length forms (`510555****`, `******2020`) keep their meaning. `+` anchors
 * at the start of the E.164 digits or of the national number (`+1415…` and `+415…` both work).
 */
export function containsMatcher(pattern: string): (e164: string) => boolean {
  if (!/^[0-9a-zA-Z*%+$]{2,16}$/.test(pattern)) throw new ContainsPatternError('Contains must be 2 to 16 characters of 0-9, a-z, and the meta-characters * % + $');
  const anchoredStart = pattern.startsWith('+');
  const anchoredEnd = pattern.endsWith('$');
  const body = pattern.slice(anchoredStart ? 1 : 0, anchoredEnd ? -1 : undefined).toLowerCase();
  if (/[+$]/.test(body)) throw new ContainsPatternError('Contains: + may only start the pattern and $ only end it');
  const core = /^([*%]*)([0-9a-z]+)([*%]*)$/.exec(body);
  if (!core) throw new ContainsPatternError('Contains: wildcards cannot be used between non-meta-characters');
  const [, lead = '', literal = '', trail = ''] = core;
  if (literal.length < 2) throw new ContainsPatternError('Contains needs at least two non-meta characters');
  // `*`/`%` may repeat; an anchor next to a wildcard ("+*12", "12*$") is what cannot be adjacent.
  if ((anchoredStart && lead) || (anchoredEnd && trail)) throw new ContainsPatternError('Contains: + and $ cannot be next to a wildcard');
  const wild = (w: string): string => [...w].map((c) => (c === '*' ? '\\d' : '\\d*')).join('');
  const digits = [...literal].map((c) => KEYPAD[c] ?? c).join('');
  const source = `${anchoredStart ? '^' : ''}${wild(lead)}${digits}${wild(trail)}${anchoredEnd ? '$' : ''}`;
  const regex = new RegExp(source);
  return (e164) => {
    const all = e164.replace(/^\+/, '');
    if (regex.test(all)) return true;
    if (!anchoredStart) return false;
    const national = parsePhoneNumberFromString(e164)?.nationalNumber ?? '';
    return national !== '' && regex.test(national);
  };
}

export interface NumberSearch {
  country: IsoCountry;
  type: NumberType;
  areaCode?: string;
  contains?: string;
  smsEnabled?: boolean;
  mmsEnabled?: boolean;
  voiceEnabled?: boolean;
  faxEnabled?: boolean;
  inRegion?: string;
  inPostalCode?: string;
  inLocality?: string;
  inRateCenter?: string;
  /** [latitude, longitude] and a radius in miles (Twilio's NearLatLong / NearNumber + Distance). */
  near?: { latitude: number; longitude: number; miles: number };
  excludeAddressRequired?: AddressRequirement[];
}

const EARTH_RADIUS_MILES = 3958.8;

export function milesBetween(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (d: number): number => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.sqrt(h));
}

export function searchInventory(inventory: Iterable<AvailableNumber>, q: NumberSearch): AvailableNumber[] {
  const contains = q.contains ? containsMatcher(q.contains) : null;
  const nanpCode = (n: AvailableNumber): string => n.phoneNumber.slice(2, 5);
  return [...inventory].filter(
    (n) =>
      n.isoCountry === q.country &&
      n.type === q.type &&
      (!q.areaCode || ((n.isoCountry === 'US' || n.isoCountry === 'CA') && nanpCode(n) === q.areaCode)) &&
      (!contains || contains(n.phoneNumber)) &&
      (q.smsEnabled === undefined || n.capabilities.sms === q.smsEnabled) &&
      (q.mmsEnabled === undefined || n.capabilities.mms === q.mmsEnabled) &&
      (q.voiceEnabled === undefined || n.capabilities.voice === q.voiceEnabled) &&
      (q.faxEnabled === undefined || n.capabilities.fax === q.faxEnabled) &&
      (!q.inRegion || n.region === q.inRegion.toUpperCase()) &&
      (!q.inPostalCode || n.postalCode === q.inPostalCode) &&
      (!q.inLocality || n.locality.toLowerCase() === q.inLocality.toLowerCase()) &&
      (!q.inRateCenter || n.rateCenter === q.inRateCenter.toUpperCase()) &&
      (!q.near || (n.latitude !== '' && milesBetween(q.near, { latitude: Number(n.latitude), longitude: Number(n.longitude) }) <= q.near.miles)) &&
      (!q.excludeAddressRequired || !q.excludeAddressRequired.includes(n.addressRequirements)),
  );
}

export type TakeResult = { ok: true; number: AvailableNumber } | { ok: false; reason: 'not-available' | 'lost-race' };

/** The stock, and the other customers of "Twilio" who may buy from it too. */
export class NumberInventory {
  /**
   * The stock, built on first use: seeding validates every number against the numbering plan
   * (about 0.3–0.6 s of CPU), which a start that never searches or buys a number should not pay.
   */
  private stock?: {
    available: Map<string, AvailableNumber>;
    /** Every number the sandbox has ever sold or held, so a release or a claim keeps its details. */
    known: Map<string, AvailableNumber>;
  };
  private readonly seed: () => AvailableNumber[];
  /** Numbers another customer holds. */
  private readonly claimedByOthers = new Set<string>();
  /** Numbers another customer will buy the moment this account tries to. */
  private readonly racedPurchases = new Set<string>();
  /** Per-search rotation, so asking again gives the next slice of a large result (Twilio's "refresh"). */
  private readonly rotations = new Map<string, number>();

  constructor(numbers: AvailableNumber[] | (() => AvailableNumber[]) = seedInventory) {
    this.seed = typeof numbers === 'function' ? () => numbers() : () => numbers;
  }

  private get available(): Map<string, AvailableNumber> {
    return this.seeded().available;
  }

  private get known(): Map<string, AvailableNumber> {
    return this.seeded().known;
  }

  private seeded(): NonNullable<NumberInventory['stock']> {
    if (!this.stock) {
      this.stock = { available: new Map(), known: new Map() };
      for (const n of this.seed()) this.add(n);
    }
    return this.stock;
  }

  add(n: AvailableNumber): void {
    this.known.set(n.phoneNumber, n);
    if (!this.claimedByOthers.has(n.phoneNumber)) this.available.set(n.phoneNumber, n);
  }

  get(phoneNumber: string): AvailableNumber | undefined {
    return this.available.get(phoneNumber);
  }

  /** What the sandbox knows about a number it sells or sold (for a number bought and then released). */
  details(phoneNumber: string): AvailableNumber | undefined {
    return this.known.get(phoneNumber);
  }

  search(q: NumberSearch): AvailableNumber[] {
    return searchInventory(this.available.values(), q);
  }

  /**
   * Up to `pageSize` matches; asking the same search again starts after the last slice, so a
   * "Refresh Results" shows other numbers when there are more than a page of them.
   */
  searchPage(q: NumberSearch, pageSize: number): AvailableNumber[] {
    const all = this.search(q);
    if (all.length <= pageSize) return all;
    const key = JSON.stringify(q);
    const offset = (this.rotations.get(key) ?? 0) % all.length;
    this.rotations.set(key, offset + pageSize);
    return [...all.slice(offset), ...all.slice(0, offset)].slice(0, pageSize);
  }

  /** This account buys the number: it leaves the stock, unless another buyer got there first. */
  take(phoneNumber: string): TakeResult {
    if (this.racedPurchases.delete(phoneNumber)) {
      this.claim(phoneNumber);
      return { ok: false, reason: 'lost-race' };
    }
    const n = this.available.get(phoneNumber);
    if (!n) return { ok: false, reason: 'not-available' };
    this.available.delete(phoneNumber);
    return { ok: true, number: n };
  }

  /** A released number goes back on sale with the details it was sold with. */
  putBack(phoneNumber: string): void {
    const n = this.known.get(phoneNumber);
    if (n && !this.claimedByOthers.has(phoneNumber)) this.available.set(phoneNumber, n);
  }

  /** Another customer buys the number now. False if it was not for sale. */
  claim(phoneNumber: string): boolean {
    const wasAvailable = this.available.delete(phoneNumber);
    if (wasAvailable || this.known.has(phoneNumber)) this.claimedByOthers.add(phoneNumber);
    return wasAvailable;
  }

  /** Another customer will buy the number the moment this account tries to (a lost race). */
  raceNextPurchase(phoneNumber: string): void {
    this.racedPurchases.add(phoneNumber);
  }

  /** The other customer releases the number: it is for sale again. */
  unclaim(phoneNumber: string): boolean {
    if (!this.claimedByOthers.delete(phoneNumber)) return false;
    this.putBack(phoneNumber);
    return true;
  }

  isClaimedByOthers(phoneNumber: string): boolean {
    return this.claimedByOthers.has(phoneNumber);
  }
}
