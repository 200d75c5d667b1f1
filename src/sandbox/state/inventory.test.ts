import { describe, expect, it } from 'vitest';
import { containsMatcher, NumberInventory, searchInventory, seedInventory, SOLD_OUT_AREA_CODES } from './inventory';
import { areaOf, geoOf, isValidNanpAreaCode } from './numbering-plan';

describe('number inventory', () => {
  const inventory = seedInventory();

  it('is deterministic; 212, 310 and 415 are sold out while their overlays have stock', () => {
    expect(seedInventory().map((n) => n.phoneNumber)).toEqual(inventory.map((n) => n.phoneNumber));
    expect([...SOLD_OUT_AREA_CODES].sort()).toEqual(['212', '310', '415']);
    for (const code of SOLD_OUT_AREA_CODES) expect(searchInventory(inventory, { country: 'US', type: 'local', areaCode: code })).toEqual([]);
    for (const overlay of ['424', '628', '332', '646', '917']) expect(searchInventory(inventory, { country: 'US', type: 'local', areaCode: overlay }).length).toBeGreaterThan(10);
    expect(searchInventory(inventory, { country: 'US', type: 'toll-free', areaCode: '888' }).length).toBeGreaterThan(10);
  });

  it('sells valid numbers in the US, Canada, the UK and Australia, local, mobile and toll-free', () => {
    const kinds = new Set(inventory.map((n) => `${n.isoCountry}:${n.type}`));
    for (const k of ['US:local', 'US:toll-free', 'CA:local', 'CA:toll-free', 'GB:local', 'GB:mobile', 'GB:toll-free', 'AU:local', 'AU:mobile', 'AU:toll-free']) expect(kinds).toContain(k);
    expect(kinds).not.toContain('US:mobile');
    // UK and Australian landlines cannot text; their mobiles can.
    expect(inventory.filter((n) => n.isoCountry === 'GB' && n.type === 'local').every((n) => !n.capabilities.sms)).toBe(true);
    expect(inventory.filter((n) => n.type === 'mobile').every((n) => n.capabilities.sms)).toBe(true);
    expect(inventory.some((n) => n.isoCountry === 'US' && n.type === 'local' && !n.capabilities.sms)).toBe(true);
  });

  it('matches Contains as Twilio documents it: anywhere, + for the start, $ for the end, * and % at the ends, letters as keypad digits', () => {
    expect(containsMatcher('512*******')('+15125550000')).toBe(true);
    expect(containsMatcher('******0000')('+15125550000')).toBe(true);
    expect(containsMatcher('55')('+17025125555')).toBe(true);
    expect(containsMatcher('SPA')('+17027725555')).toBe(true); // S=7 P=7 A=2
    expect(containsMatcher('+1512')('+15125550000')).toBe(true);
    expect(containsMatcher('+512')('+15125550000')).toBe(true); // national number
    expect(containsMatcher('+512')('+17025125555')).toBe(false);
    expect(containsMatcher('0000$')('+15125550000')).toBe(true);
    expect(containsMatcher('0000$')('+15120000555')).toBe(false);
    expect(containsMatcher('%2020')('+15125552020')).toBe(true);
    expect(containsMatcher('+1512%')('+15125552020')).toBe(true);
    for (const bad of ['x', '5', '5*5', '+*55', '55*$', '5+5', 'a-b', '12345678901234567']) expect(() => containsMatcher(bad), bad).toThrow();
  });

  it('filters by capabilities', () => {
    const mms = searchInventory(inventory, { country: 'US', type: 'local', mmsEnabled: true });
    expect(mms.length).toBeGreaterThan(0);
    expect(mms.every((n) => n.capabilities.mms)).toBe(true);
    expect(searchInventory(inventory, { country: 'US', type: 'toll-free', mmsEnabled: true })).toEqual([]);
  });

  it('finds numbers near a place (NearLatLong + Distance)', () => {
    const nearBeverlyHills = searchInventory(inventory, { country: 'US', type: 'local', near: { latitude: 34.07, longitude: -118.4, miles: 25 } });
    const codes = new Set(nearBeverlyHills.map((n) => n.phoneNumber.slice(2, 5)));
    expect(codes).toContain('424');
    expect(codes).toContain('818');
    expect(codes).not.toContain('512');
  });

  it('a second buyer can take a number, win a race, and release it again', () => {
    const stock = new NumberInventory();
    const [a, b] = stock.search({ country: 'US', type: 'local', areaCode: '512' });
    expect(stock.claim(a!.phoneNumber)).toBe(true);
    expect(stock.take(a!.phoneNumber)).toEqual({ ok: false, reason: 'not-available' });
    stock.raceNextPurchase(b!.phoneNumber);
    expect(stock.take(b!.phoneNumber)).toEqual({ ok: false, reason: 'lost-race' });
    expect(stock.isClaimedByOthers(b!.phoneNumber)).toBe(true);
    expect(stock.unclaim(a!.phoneNumber)).toBe(true);
    expect(stock.take(a!.phoneNumber)).toMatchObject({ ok: true });
    stock.putBack(a!.phoneNumber);
    expect(stock.get(a!.phoneNumber)).toBeDefined();
  });

  it('builds its stock on first use, once (not at sandbox start)', () => {
    const numbers = seedInventory().slice(0, 3);
    let seeded = 0;
    const stock = new NumberInventory(() => (seeded++, numbers));
    expect(seeded).toBe(0);
    // A claim before any search still finds the number in the stock it builds.
    expect(stock.claim(numbers[0]!.phoneNumber)).toBe(true);
    expect(stock.get(numbers[1]!.phoneNumber)).toEqual(numbers[1]);
    expect(stock.search({ country: numbers[2]!.isoCountry, type: numbers[2]!.type }).map((n) => n.phoneNumber)).not.toContain(numbers[0]!.phoneNumber);
    expect(seeded).toBe(1);
  });

  it('rotates through large results so asking again shows other numbers', () => {
    const stock = new NumberInventory();
    const q = { country: 'US', type: 'local', areaCode: '512' } as const;
    const first = stock.searchPage(q, 5).map((n) => n.phoneNumber);
    const second = stock.searchPage(q, 5).map((n) => n.phoneNumber);
    expect(first).toHaveLength(5);
    expect(second.filter((n) => first.includes(n))).toEqual([]);
  });
});

describe('numbering plan', () => {
  it('knows where numbers are, sold-out codes included, for the webhook geo parameters', () => {
    expect(geoOf('+12125550142')).toEqual({ city: 'NEW YORK', state: 'NY', zip: '10001', country: 'US' });
    expect(geoOf('+14165550142')).toMatchObject({ city: 'TORONTO', state: 'ON', country: 'CA' });
    expect(geoOf('+442079460123')).toEqual({ city: '', state: '', zip: '', country: 'GB' });
    expect(geoOf('+18885550100')).toEqual({ city: '', state: '', zip: '', country: 'US' });
    expect(geoOf('+33142685300')).toMatchObject({ country: 'FR' });
    expect(geoOf('client:alice')).toBeNull();
    expect(areaOf('+14245550100')?.overlays).toContain('310');
  });

  it('tells valid North American area codes from invalid ones', () => {
    for (const code of ['212', '424', '416', '800']) expect(isValidNanpAreaCode(code), code).toBe(true);
    for (const code of ['999', '123', '911', '555', '12', 'abc']) expect(isValidNanpAreaCode(code), code).toBe(false);
  });
});
