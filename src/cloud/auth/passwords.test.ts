import { describe, expect, it } from 'vitest';
import { OWASP_ARGON2, hashPassword, isWeakerThan, meetsOwasp } from './passwords';

describe('password hashes', () => {
  it('hashes with argon2id at the cost asked for, and knows when a stored hash is weaker', async () => {
    const hash = await hashPassword('glow', { memoryCost: 2048, timeCost: 2 });
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(isWeakerThan(hash, { memoryCost: 2048, timeCost: 2 })).toBe(false);
    expect(isWeakerThan(hash, { memoryCost: 1024, timeCost: 1 })).toBe(false);
    expect(isWeakerThan(hash, { memoryCost: 4096, timeCost: 2 })).toBe(true);
    expect(isWeakerThan(hash, { memoryCost: 2048, timeCost: 3 })).toBe(true);
    expect(isWeakerThan('$argon2i$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA', { memoryCost: 2048, timeCost: 2 })).toBe(true);
    expect(isWeakerThan('$2b$10$abcdefghijklmnopqrstuv', OWASP_ARGON2)).toBe(true);
  });
  it('OWASP minimum: 19 MiB and 2 iterations', () => {
    expect(meetsOwasp(OWASP_ARGON2)).toBe(true);
    expect(meetsOwasp({ memoryCost: 47_104, timeCost: 2 })).toBe(true);
    expect(meetsOwasp({ memoryCost: 19_455, timeCost: 2 })).toBe(false);
    expect(meetsOwasp({ memoryCost: 65_536, timeCost: 1 })).toBe(false);
  });
});
