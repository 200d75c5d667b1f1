import type { Database } from '../../db';

/**
 * Internal Notification's rate limit (the seed): each team member receives at most 500
 * notifications — email, SMS, WhatsApp and in-app together — per 5 minutes. A sliding window over
 * the slots taken (`notification_slots`), serialised per user by a lock row so 600 concurrent
 * takers get exactly 500. A slot belongs to one step, channel and user: taking it again (a
 * repeated attempt) is free. Over the limit, the notification is queued (the step waits for the
 * window to free a slot) and dropped when it could not be delivered within QUEUE_LIMIT_MS: an
 * alert that late no longer says anything useful. Both are written in the execution log.
 */
export const NOTIFICATIONS_PER_WINDOW = 500;
export const WINDOW_MS = 5 * 60_000;
export const QUEUE_LIMIT_MS = 60 * 60_000;

export type Channel = 'email' | 'in_app' | 'sms' | 'whatsapp';

export interface SlotRequest {
  accountId: string;
  userId: string;
  channel: Channel;
  runId: string;
  stepKey: string;
}

/** Takes a slot in the user's window. Returns null when taken, else when the next slot frees (ISO). */
export async function takeSlot(db: Database, r: SlotRequest): Promise<string | null> {
  return db.transaction(async (q) => {
    await q.query(`INSERT INTO notification_slot_locks (user_id) VALUES ($1) ON CONFLICT DO NOTHING`, [r.userId]);
    await q.query(`SELECT user_id FROM notification_slot_locks WHERE user_id = $1 FOR NO KEY UPDATE`, [r.userId]);
    const mine = await q.query(`SELECT 1 AS ok FROM notification_slots WHERE run_id = $1 AND step_key = $2 AND channel = $3 AND user_id = $4`, [
      r.runId, r.stepKey, r.channel, r.userId,
    ]);
    if (mine.length > 0) return null;
    const window = `${WINDOW_MS / 1000} seconds`;
    const used = await q.query<{ n: number; oldest: string | null }>(
      `SELECT count(*)::int AS n, min(at) AS oldest FROM notification_slots WHERE user_id = $1 AND at > now() - $2::interval`,
      [r.userId, window],
    );
    const { n, oldest } = used[0]!;
    if (Number(n) >= NOTIFICATIONS_PER_WINDOW) {
      // The window frees a slot when its oldest entry leaves it.
      return new Date(Date.parse(new Date(oldest!).toISOString()) + WINDOW_MS).toISOString();
    }
    await q.query(`INSERT INTO notification_slots (account_id, user_id, channel, run_id, step_key) VALUES ($1, $2, $3, $4, $5)`, [
      r.accountId, r.userId, r.channel, r.runId, r.stepKey,
    ]);
    // Old slots say nothing about any window any more.
    await q.query(`DELETE FROM notification_slots WHERE user_id = $1 AND at < now() - interval '1 day'`, [r.userId]);
    return null;
  });
}

/** What becomes of a notification still without a slot: wait for `nextFree`, or drop it (too late to matter). */
export function queuedFate(queuedSince: number, nextFree: number): { kind: 'wait'; until: number } | { kind: 'drop' } {
  return nextFree - queuedSince > QUEUE_LIMIT_MS ? { kind: 'drop' } : { kind: 'wait', until: nextFree };
}
