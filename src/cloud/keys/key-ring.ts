import { hkdfSync, randomBytes } from 'node:crypto';

/**
 * The cloud's server keys, outside the database they protect. A ring holds one or more entries;
 * the FIRST entry with a master secret signs and seals everything new, every entry is tried for
 * verification and decryption (rotation: put a new entry first, keep the old one for a while).
 * Each purpose gets its own key, derived from the master with HKDF-SHA256, so one master never
 * serves two algorithms. Entries imported from an older build (`legacy-db`) carry their
 * per-purpose keys as they were and are only ever used to verify or decrypt.
 */
export const KEY_PURPOSES = ['jwt', 'twofa-hmac', 'twofa-totp', 'cursor', 'inbound-email'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

export const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;
/** The id the keys found in `server_secrets` (wave 1) are imported under. */
export const LEGACY_KEY_ID = 'legacy-db';

export interface KeyEntry {
  id: string;
  /** Master secret (≥ 32 bytes): the purpose keys are derived from it. */
  secret?: Buffer;
  /** Purpose keys given as they are (imported legacy keys). */
  purposes?: Partial<Record<KeyPurpose, Buffer>>;
}

export interface PurposeKey {
  id: string;
  key: Buffer;
}

const derive = (secret: Buffer, purpose: KeyPurpose): Buffer => Buffer.from(hkdfSync('sha256', secret, 'aesthetix-cloud-keys', purpose, 32));

export class KeyRing {
  private readonly derived = new Map<string, Buffer>();

  constructor(readonly entries: readonly KeyEntry[]) {
    if (!entries.some((e) => e.secret)) throw new Error('the key ring needs at least one key with a secret (the current key)');
    const ids = new Set<string>();
    for (const entry of entries) {
      if (!KEY_ID.test(entry.id)) throw new Error(`key id "${entry.id}" must be 1–40 letters, digits, _ or -`);
      if (ids.has(entry.id)) throw new Error(`key id "${entry.id}" appears twice`);
      ids.add(entry.id);
      if (entry.secret && entry.secret.length < 32) throw new Error(`key "${entry.id}" is shorter than 32 bytes`);
    }
  }

  /** The key new signatures, seals and hashes use. */
  current(purpose: KeyPurpose): PurposeKey {
    const entry = this.entries.find((e) => e.secret)!;
    return { id: entry.id, key: this.keyOf(entry, purpose)! };
  }

  /** The key with this id, for verifying or decrypting what it made; undefined when the ring no longer has it. */
  key(purpose: KeyPurpose, id: string): Buffer | undefined {
    const entry = this.entries.find((e) => e.id === id);
    return entry ? this.keyOf(entry, purpose) : undefined;
  }

  /** Every key of a purpose, current first. */
  all(purpose: KeyPurpose): PurposeKey[] {
    const current = this.current(purpose);
    const rest = this.entries.filter((e) => e.id !== current.id).flatMap((e) => {
      const key = this.keyOf(e, purpose);
      return key ? [{ id: e.id, key }] : [];
    });
    return [current, ...rest];
  }

  private keyOf(entry: KeyEntry, purpose: KeyPurpose): Buffer | undefined {
    if (entry.purposes?.[purpose]) return entry.purposes[purpose];
    if (!entry.secret) return undefined;
    const cacheKey = `${entry.id}\0${purpose}`;
    let key = this.derived.get(cacheKey);
    if (!key) this.derived.set(cacheKey, (key = derive(entry.secret, purpose)));
    return key;
  }
}

/** A fresh key entry: a dated id and 32 random bytes. */
export function generateKeyEntry(now = new Date()): KeyEntry {
  return { id: `k${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`, secret: randomBytes(32) };
}
