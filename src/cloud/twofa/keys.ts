import type { Database } from '../db';
import { LEGACY_KEY_ID, type KeyRing } from '../keys/key-ring';
import { hashCode, sameHash, seal, unseal } from './codes';

/**
 * The two-factor keys come from the server key ring (never the database): `twofa-hmac` for code
 * and backup-code hashes, `twofa-totp` for authenticator secrets at rest. Everything stored names
 * its key — `<kid>.<hash>`, `<kid>.<iv>.<tag>.<ciphertext>` — so a rotated ring still reads it;
 * values from before key ids belong to the imported `legacy-db` key.
 */
const splitKid = (stored: string, legacyParts: number): { kid: string; rest: string } => {
  const parts = stored.split('.');
  if (parts.length === legacyParts) return { kid: LEGACY_KEY_ID, rest: stored };
  return { kid: parts[0]!, rest: parts.slice(1).join('.') };
};

/** A keyed hash of a code, salted (challenge id, or user id for backup codes), under the current key. */
export function codeHash(ring: KeyRing, salt: string, code: string): string {
  const { id, key } = ring.current('twofa-hmac');
  return `${id}.${hashCode(key, salt, code)}`;
}

/** Whether `code` matches a stored hash, under whichever key made it. */
export function codeMatches(ring: KeyRing, stored: string, salt: string, code: string): boolean {
  const { kid, rest } = splitKid(stored, 1);
  const key = ring.key('twofa-hmac', kid);
  return key !== undefined && sameHash(rest, hashCode(key, salt, code));
}

/** Every form a stored hash of `code` can take under the ring's keys (to find it with one equality lookup). */
export function codeHashCandidates(ring: KeyRing, salt: string, code: string): string[] {
  return ring.all('twofa-hmac').map(({ id, key }) => (id === LEGACY_KEY_ID ? hashCode(key, salt, code) : `${id}.${hashCode(key, salt, code)}`));
}

export function sealSecret(ring: KeyRing, plaintext: string): string {
  const { id, key } = ring.current('twofa-totp');
  return `${id}.${seal(key, plaintext)}`;
}

export function unsealSecret(ring: KeyRing, sealed: string): string {
  const { kid, rest } = splitKid(sealed, 3);
  const key = ring.key('twofa-totp', kid);
  if (!key) throw new Error(`the key "${kid}" that sealed this authenticator secret is no longer configured`);
  return unseal(key, rest);
}

/**
 * Re-seals every authenticator secret not under the current key (after a rotation or the import
 * of the database's old keys), so old `twofa-totp` keys are needed only until this has run.
 */
export async function resealTotpSecrets(db: Database, ring: KeyRing): Promise<number> {
  const current = `${ring.current('twofa-totp').id}.`;
  const rows = await db.query<{ user_id: string; secret_sealed: string | null; pending_sealed: string | null }>(
    `SELECT user_id, secret_sealed, pending_sealed FROM user_totp
      WHERE (secret_sealed IS NOT NULL AND NOT starts_with(secret_sealed, $1)) OR (pending_sealed IS NOT NULL AND NOT starts_with(pending_sealed, $1))`,
    [current],
  );
  const again = (value: string | null): string | null => (value === null || value.startsWith(current) ? value : sealSecret(ring, unsealSecret(ring, value)));
  for (const row of rows) {
    await db.query(`UPDATE user_totp SET secret_sealed = $2, pending_sealed = $3 WHERE user_id = $1 AND secret_sealed IS NOT DISTINCT FROM $4 AND pending_sealed IS NOT DISTINCT FROM $5`, [
      row.user_id,
      again(row.secret_sealed),
      again(row.pending_sealed),
      row.secret_sealed,
      row.pending_sealed,
    ]);
  }
  return rows.length;
}
