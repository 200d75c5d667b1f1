import type { Queryable } from '../db';
import { notFound } from '../errors';
import type { ChannelFacts } from './policy';
import type { KeyRing } from '../keys/key-ring';
import { unsealSecret } from './keys';

/** The profile fields the two-factor flows read. */
export type ProfileRow = {
  id: string;
  account_id: string;
  email: string;
  name: string;
  phone: string | null;
};

/** What is verified on a profile, plus the authenticator's secrets (unsealed) for checking codes. */
export interface ChannelState extends ChannelFacts {
  totpSecret: string | null;
  totpLastStep: number | null;
  totpPending: { secret: string; at: number } | null;
}

/** The profile in the account; `lock` takes its row lock (every 2FA operation for a user is serialised on it). */
export async function loadProfile(q: Queryable, accountId: string, userId: string, lock: boolean): Promise<ProfileRow> {
  const rows = await q.query<ProfileRow>(
    `SELECT id, account_id, email, name, phone FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL${lock ? ' FOR NO KEY UPDATE' : ''}`,
    [userId, accountId],
  );
  if (rows.length === 0) throw notFound('User');
  return rows[0]!;
}

export async function nameOf(q: Queryable, userId: string): Promise<string> {
  const rows = await q.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [userId]);
  return rows[0]?.name ?? 'an admin';
}

/** Verified channels, the authenticator and backup codes of a profile; the ring unseals the secrets. */
export async function loadChannelState(q: Queryable, profile: ProfileRow, ring: KeyRing): Promise<ChannelState> {
  const verified = await q.query<{ kind: string; address: string }>(`SELECT kind, address FROM user_verified_channels WHERE user_id = $1`, [profile.id]);
  const totp = (
    await q.query<{ secret_sealed: string | null; enabled_at: string | null; pending_sealed: string | null; pending_at: string | null; last_used_step: number | null }>(
      `SELECT secret_sealed, enabled_at, pending_sealed, pending_at, last_used_step FROM user_totp WHERE user_id = $1`,
      [profile.id],
    )
  )[0];
  const backup = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_backup_codes WHERE user_id = $1 AND used_at IS NULL`, [profile.id]);
  return {
    // Verified only while the address is still the profile's.
    emailVerified: verified.some((v) => v.kind === 'email' && v.address === profile.email),
    phoneVerified: profile.phone !== null && verified.some((v) => v.kind === 'sms' && v.address === profile.phone),
    totpEnabled: Boolean(totp?.enabled_at && totp.secret_sealed),
    totpSecret: totp?.enabled_at && totp.secret_sealed ? unsealSecret(ring, totp.secret_sealed) : null,
    totpLastStep: totp?.last_used_step ?? null,
    totpPending: totp?.pending_sealed && totp.pending_at ? { secret: unsealSecret(ring, totp.pending_sealed), at: Date.parse(totp.pending_at) } : null,
    backupCodesLeft: Number(backup[0]?.n ?? 0),
  };
}

export async function markVerified(q: Queryable, userId: string, kind: 'email' | 'sms', address: string, now: number): Promise<void> {
  await q.query(
    `INSERT INTO user_verified_channels (user_id, kind, address, verified_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, kind) DO UPDATE SET address = EXCLUDED.address, verified_at = EXCLUDED.verified_at`,
    [userId, kind, address, new Date(now).toISOString()],
  );
}
