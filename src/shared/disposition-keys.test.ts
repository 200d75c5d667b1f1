import { describe, expect, it } from 'vitest';
import { dispositionIndexForKey, dispositionKey, MAX_KEYED_DISPOSITIONS } from './disposition-keys';

describe('disposition keys', () => {
  it('maps keys 1…9, 0 to dispositions 1…10 and back', () => {
    expect(['1', '2', '9', '0', 'a'].map(dispositionIndexForKey)).toEqual([0, 1, 8, 9, -1]);
    expect([0, 1, 8, 9].map(dispositionKey)).toEqual(['1', '2', '9', '0']);
    for (let index = 0; index < MAX_KEYED_DISPOSITIONS; index++) expect(dispositionIndexForKey(dispositionKey(index))).toBe(index);
  });
});
