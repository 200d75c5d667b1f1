import { TWO_FACTOR_RULES as RULES } from '../../shared/cloud/twofa';
import type { Principal } from '../context';
import type { UnitOfWork } from '../db/unit-of-work';
import type { KeyRing } from '../keys/key-ring';
import { generateBackupCode, normaliseBackupCode } from './codes';
import { codeHash, sealSecret } from './keys';
import type { ProfileRow } from './profile-store';
import { generateTotpSecret, totpUri } from './totp';

/** Authenticator enrolment: a pending secret until its first code confirms it, then fresh backup codes. */

export async function createPendingTotp(uow: UnitOfWork, ring: KeyRing, principal: Principal, profile: ProfileRow, now: number): Promise<{ secret: string; otpauthUri: string }> {
  const secret = generateTotpSecret();
  await uow.q.query(
    `INSERT INTO user_totp (user_id, pending_sealed, pending_at) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET pending_sealed = EXCLUDED.pending_sealed, pending_at = EXCLUDED.pending_at`,
    [profile.id, sealSecret(ring, secret), new Date(now).toISOString()],
  );
  await uow.audit(principal.userId, 'twofa.totp_enrol_started', 'user', profile.id, {});
  return { secret, otpauthUri: totpUri(secret, profile.email) };
}

/** Makes the pending secret the authenticator (its confirming step counts as used) and issues new backup codes. */
export async function enableTotp(uow: UnitOfWork, ring: KeyRing, principal: Principal, userId: string, step: number, now: number): Promise<string[]> {
  await uow.q.query(
    `UPDATE user_totp SET secret_sealed = pending_sealed, enabled_at = $2, pending_sealed = NULL, pending_at = NULL, last_used_step = $3 WHERE user_id = $1`,
    [userId, new Date(now).toISOString(), step],
  );
  await uow.q.query(`DELETE FROM user_backup_codes WHERE user_id = $1`, [userId]);
  const backupCodes = Array.from({ length: RULES.backupCodeCount }, generateBackupCode);
  for (const backup of backupCodes) {
    await uow.q.query(`INSERT INTO user_backup_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)`, [
      userId,
      codeHash(ring, userId, normaliseBackupCode(backup)),
      new Date(now).toISOString(),
    ]);
  }
  await uow.audit(principal.userId, 'twofa.totp_enabled', 'user', userId, { backupCodes: backupCodes.length });
  return backupCodes;
}
