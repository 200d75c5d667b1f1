import type { Database } from '../db';
import type { Row } from '../db/columns';

/**
 * A Twilio call on a number (a release, a restore) runs outside any transaction — an HTTP round
 * trip must not hold a row lock, least of all on PGlite's single connection. Instead the row is
 * claimed first (`operation`), so a release and a restore, two admins, or an admin and the release
 * job never act on the same number at once. A claim left by a crash is taken over after 5 minutes.
 */
export type Operation = 'releasing' | 'restoring';

const STALE = `interval '5 minutes'`;

/** Claims the row if it is in one of `statuses` (and `extra` holds); the row as it was, or null when it is not claimable. */
export async function claimNumber(db: Database, accountId: string | null, id: string, operation: Operation, statuses: string[], extra = 'true'): Promise<Row | null> {
  const rows = await db.query(
    `UPDATE phone_numbers SET operation = $3, operation_at = now()
      WHERE id = $1 AND ($2::text IS NULL OR account_id = $2) AND status = ANY(SELECT jsonb_array_elements_text($4::jsonb))
        AND (operation IS NULL OR operation_at < now() - ${STALE}) AND (${extra})
      RETURNING id, account_id, number, name, twilio_sid, status, release_due_at, country, number_type`,
    [id, accountId, operation, JSON.stringify(statuses)],
  );
  return rows[0] ?? null;
}

/** Gives the claim up (the Twilio call failed; nothing changed). */
export async function unclaimNumber(db: Database, id: string, operation: Operation): Promise<void> {
  await db.query(`UPDATE phone_numbers SET operation = NULL, operation_at = NULL WHERE id = $1 AND operation = $2`, [id, operation]);
}

/** Why a claim failed, for the message: the row as it is now (or null when it is not the account's). */
export async function currentState(db: Database, accountId: string, id: string): Promise<{ status: string; operation: string | null; release_due_at: string | null; past_due: boolean } | null> {
  const rows = await db.query<{ status: string; operation: string | null; release_due_at: string | null; past_due: boolean }>(
    `SELECT status, CASE WHEN operation_at >= now() - ${STALE} THEN operation END AS operation, release_due_at, coalesce(release_due_at <= now(), false) AS past_due
       FROM phone_numbers WHERE id = $1 AND account_id = $2`,
    [id, accountId],
  );
  return rows[0] ?? null;
}
