import type { Queryable } from '../db/database';

/**
 * A call placed from the softphone while working a call task carries the task's id (the Voice SDK's
 * `TaskId` parameter), so the call is linked to its task when it starts — not only when the task is
 * finished. The id comes from the client, so it is linked only when the task is this practice's
 * call task, in progress, started by this user, and the number dialed is its contact's; anything
 * else is ignored (the call itself goes ahead, unlinked, as any other call would).
 */
export async function taskForOutboundCall(
  db: Queryable,
  input: { accountId: string; userId: string; taskId: string | undefined; to: string },
): Promise<string | null> {
  if (!input.taskId) return null;
  const rows = await db.query<{ id: string }>(
    `SELECT t.id FROM tasks t JOIN contacts c ON c.id = t.contact_id
      WHERE t.id = $1 AND t.account_id = $2 AND t.type = 'call' AND t.status = 'in_progress' AND t.started_by = $3 AND c.phone = $4`,
    [input.taskId, input.accountId, input.userId, input.to],
  );
  return rows[0]?.id ?? null;
}
