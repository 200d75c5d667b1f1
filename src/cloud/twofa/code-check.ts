import type { UnitOfWork } from '../db/unit-of-work';
import type { ChallengeRow } from './challenges';
import type { KeyRing } from '../keys/key-ring';
import { normaliseBackupCode } from './codes';
import { codeHashCandidates, codeMatches } from './keys';
import type { ChannelState } from './profile-store';
import { matchTotpStep } from './totp';

export type CodeCheck = { ok: true } | { ok: false; why: 'wrong' | 'replay' };

/**
 * Whether `code` answers the challenge. Spending is atomic: an authenticator step moves forward
 * with a compare-and-set (each step once), a backup code is marked used in the same statement
 * that finds it, so two concurrent checks of one code cannot both succeed.
 */
export async function checkCode(uow: UnitOfWork, ring: KeyRing, challenge: ChallengeRow, state: ChannelState, code: string, now: number): Promise<CodeCheck> {
  switch (challenge.channel) {
    case 'email':
    case 'sms':
      return challenge.code_hash && codeMatches(ring, challenge.code_hash, challenge.id, code) ? { ok: true } : { ok: false, why: 'wrong' };
    case 'totp': {
      if (!state.totpEnabled || !state.totpSecret) return { ok: false, why: 'wrong' };
      const step = matchTotpStep(state.totpSecret, code, now);
      if (step === null) return { ok: false, why: 'wrong' };
      const moved = await uow.q.query(
        `UPDATE user_totp SET last_used_step = $2 WHERE user_id = $1 AND (last_used_step IS NULL OR last_used_step < $2) RETURNING user_id`,
        [challenge.user_id, step],
      );
      return moved.length === 1 ? { ok: true } : { ok: false, why: 'replay' };
    }
    case 'backup_code': {
      const hashes = codeHashCandidates(ring, challenge.user_id, normaliseBackupCode(code));
      const used = await uow.q.query(
        `UPDATE user_backup_codes SET used_at = $3 WHERE id = (SELECT id FROM user_backup_codes WHERE user_id = $1 AND code_hash IN (SELECT jsonb_array_elements_text($2::jsonb)) AND used_at IS NULL LIMIT 1) AND used_at IS NULL RETURNING id`,
        [challenge.user_id, JSON.stringify(hashes), new Date(now).toISOString()],
      );
      if (used.length === 0) return { ok: false, why: 'wrong' };
      await uow.audit(null, 'twofa.backup_code_used', 'user', challenge.user_id, { challengeId: challenge.id });
      return { ok: true };
    }
  }
}
