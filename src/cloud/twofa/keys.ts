import { randomBytes } from 'node:crypto';
import type { Database } from '../db';

export interface TwoFactorKeys {
  /** HMAC key for codes and backup codes. */
  codes: Buffer;
  /** AES-256-GCM key for TOTP secrets at rest. */
  totp: Buffer;
}

/** The service's keys, generated once per database and kept in server_secrets (shared by instances). */
export async function loadTwoFactorKeys(db: Database): Promise<TwoFactorKeys> {
  const load = async (name: string): Promise<Buffer> => {
    await db.query(`INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, randomBytes(32).toString('base64url')]);
    const rows = await db.query<{ value: string }>(`SELECT value FROM server_secrets WHERE name = $1`, [name]);
    return Buffer.from(rows[0]!.value, 'base64url');
  };
  return { codes: await load('twofa-hmac'), totp: await load('twofa-totp') };
}
