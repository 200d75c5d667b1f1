import { describe, expect, it } from 'vitest';
import { containsMatcher, searchInventory, seedInventory, SOLD_OUT_AREA_CODES } from './inventory';

describe('number inventory', () => {
  const inventory = seedInventory();

  it('is deterministic and has no numbers in sold-out area codes', () => {
    expect(seedInventory().map((n) => n.phoneNumber)).toEqual(inventory.map((n) => n.phoneNumber));
    for (const code of SOLD_OUT_AREA_CODES) expect(searchInventory(inventory, { type: 'local', areaCode: code })).toEqual([]);
    expect(searchInventory(inventory, { type: 'local', areaCode: '512' }).length).toBeGreaterThan(10);
  });

  it('matches Contains at the start, the end, anywhere, with letters and wildcards', () => {
    expect(containsMatcher('512*******')('+15125550000')).toBe(true);
    expect(containsMatcher('512*******')('+17025125555')).toBe(false);
    expect(containsMatcher('******0000')('+15125550000')).toBe(true);
    expect(containsMatcher('******0000')('+15120000555')).toBe(false);
    expect(containsMatcher('55')('+17025125555')).toBe(true);
    expect(containsMatcher('SPA')('+17027725555')).toBe(true); // S=7 P=7 A=2
    expect(() => containsMatcher('x')).toThrow();
  });

  it('filters by capabilities', () => {
    const mms = searchInventory(inventory, { type: 'local', mmsEnabled: true });
    expect(mms.length).toBeGreaterThan(0);
    expect(mms.every((n) => n.capabilities.mms)).toBe(true);
    expect(searchInventory(inventory, { type: 'toll-free', mmsEnabled: true })).toEqual([]);
  });
});
