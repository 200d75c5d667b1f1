import { describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { intentOfName, taggedName } from './ownership';

describe('the purchase tag in a FriendlyName', () => {
  it('names the number, then its purchase; read back exactly', () => {
    const intent = newId('npi');
    expect(taggedName('(424) 555-0101', intent)).toBe(`(424) 555-0101 [${intent}]`);
    expect(intentOfName(taggedName('(424) 555-0101', intent))).toBe(intent);
  });

  it('keeps the tag whole within Twilio’s 64 characters: the name gives way', () => {
    const intent = newId('npi');
    const tagged = taggedName('Beverly Hills injectables and laser consultations line', intent);
    expect(tagged).toHaveLength(64);
    expect(intentOfName(tagged)).toBe(intent);
  });

  it('finds no purchase in names it did not tag', () => {
    expect(intentOfName('(424) 555-0101')).toBeNull();
    expect(intentOfName('Front desk [npi_nothex]')).toBeNull();
    expect(intentOfName(`[${newId('npi')}] renamed afterwards`)).toBeNull();
  });
});
