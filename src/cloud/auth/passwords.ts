import argon2 from 'argon2';

export interface PasswordCost {
  memoryCost: number;
  timeCost: number;
}

/**
 * OWASP's Password Storage Cheat Sheet: argon2id with at least 19 MiB of memory, 2 iterations,
 * parallelism 1 (its weakest recommended pair; more memory or time is better). Production
 * configuration may not go below it; tests lower it in sandbox mode only.
 */
export const OWASP_ARGON2: PasswordCost = { memoryCost: 19_456, timeCost: 2 };

export const meetsOwasp = (cost: PasswordCost): boolean => cost.memoryCost >= OWASP_ARGON2.memoryCost && cost.timeCost >= OWASP_ARGON2.timeCost;

export const hashPassword = (password: string, cost: PasswordCost): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id, memoryCost: cost.memoryCost, timeCost: cost.timeCost, parallelism: 1 });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A stored hash that is not argon2id, or cheaper than `cost`: re-hash it once the password is known. */
export function isWeakerThan(hash: string, cost: PasswordCost): boolean {
  // PHC string: $argon2id$v=19$m=19456,p=1,t=2$salt$hash (parameters in any order).
  const match = /^\$(argon2(?:id|i|d))\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/.exec(hash);
  if (!match) return true;
  const [, type, version, list] = match;
  const params = Object.fromEntries(list!.split(',').map((pair) => [pair[0], Number(pair.slice(2))]));
  return type !== 'argon2id' || Number(version) < 19 || !(params.m! >= cost.memoryCost) || !(params.t! >= cost.timeCost);
}
