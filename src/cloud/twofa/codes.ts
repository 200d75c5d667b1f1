import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { TWO_FACTOR_RULES } from '../../shared/cloud/twofa';

/** A one-time code: `codeDigits` decimal digits, uniformly from the OS CSPRNG (leading zeros kept). */
export function generateCode(): string {
  const digits = TWO_FACTOR_RULES.codeDigits;
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

/**
 * Codes are stored as HMAC-SHA256 under a server key, salted with the challenge id: a leaked
 * table does not give codes back, and the same code in two challenges hashes differently.
 */
export function hashCode(key: Buffer, salt: string, code: string): string {
  return createHmac('sha256', key).update(`${salt}\0${code}`).digest('base64url');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** A backup code: 10 characters from a 31-letter alphabet without look-alikes (~49 bits), shown as xxxxx-xxxxx. */
export function generateBackupCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += BACKUP_ALPHABET[randomInt(0, BACKUP_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The form backup codes are hashed in: lower case, no separators. */
export const normaliseBackupCode = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '');

/** AES-256-GCM sealing of TOTP secrets at rest: `iv.tag.ciphertext`, base64url. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal(key: Buffer, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !body) throw new Error('Malformed sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
