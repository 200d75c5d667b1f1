import type { CloudConfig } from '../config';
import type { CloudContext, Principal } from '../context';
import { write } from '../db/unit-of-work';
import { createTwilioClient } from '../telephony/rest';
import { finishTask } from './work';

/**
 * A text task's message is recorded first and handed to Twilio after that commits
 * (text.ts). If the cloud process dies in between, the message stays `queued` with no Twilio SID
 * and the task in progress, and a resend is refused ("The text is being sent"). This sweep finds
 * such texts once they are old enough that no live send can still be waiting on Twilio, and tells
 * the truth: Twilio's own list is searched — sent after all → its SID is kept and the task
 * completes (the workflow moves on); not there → the message is marked failed with the reason,
 * so the receptionist sees it was not sent and can send it again or skip. Never sent by the sweep
 * itself (the receptionist chose when to send). Each text is settled once: the updates are
 * conditional on the message still being queued without a SID, under the task's row lock.
 */
export const STRANDED_AFTER_MS = 5 * 60_000;
export const STRANDED_REASON = 'The cloud stopped before this text reached Twilio, so it was not sent. Send it again or skip the task';

type Stranded = {
  task_id: string;
  account_id: string;
  started_by: string;
  message_id: string;
  to_address: string;
  from_address: string;
  body: string;
  created_at: string | Date;
};

/** Whether this cloud can reach Twilio's REST API at all (sandbox mode needs a sandbox REST URL), as text.ts requires. */
export const twilioReady = (config: CloudConfig): boolean => !(config.sandbox && /^https:\/\/api\.twilio\.com\/?$/.test(config.twilio.restBaseUrl));

/** Settles the texts stranded before `now - STRANDED_AFTER_MS`. Returns how many this call settled (sent / not sent). */
export async function reconcileStrandedTexts(ctx: Pick<CloudContext, 'db' | 'config'>, now: Date = new Date()): Promise<{ sent: number; notSent: number }> {
  const stranded = await ctx.db.query<Stranded>(
    `SELECT t.id AS task_id, t.account_id, t.started_by, om.id AS message_id, om.to_address, om.from_address, om.body, om.created_at
       FROM tasks t JOIN outbound_messages om ON om.id = t.message_id
      WHERE t.type = 'sms' AND t.status = 'in_progress' AND t.started_by IS NOT NULL
        AND om.status = 'queued' AND om.provider_id IS NULL AND om.created_at <= $1
      ORDER BY om.created_at LIMIT 50`,
    [new Date(now.getTime() - STRANDED_AFTER_MS).toISOString()],
  );
  const settled = { sent: 0, notSent: 0 };
  if (stranded.length === 0) return settled;
  const client = createTwilioClient(ctx.config);
  for (const s of stranded) {
    const since = new Date(s.created_at).getTime() - 60_000;
    // Unreachable Twilio: nothing is decided now; the next sweep asks again.
    const recent = await client.messages.list({ to: s.to_address, from: s.from_address, limit: 50 }).catch(() => null);
    if (!recent) continue;
    const found = recent.find((m) => m.body === s.body && (!m.dateCreated || m.dateCreated.getTime() >= since));
    const outcome = await write(ctx.db, s.account_id, async (uow) => {
      await uow.q.query(`SELECT id FROM tasks WHERE id = $1 FOR NO KEY UPDATE`, [s.task_id]);
      const still = await uow.q.query(`SELECT 1 FROM outbound_messages WHERE id = $1 AND status = 'queued' AND provider_id IS NULL`, [s.message_id]);
      if (!still[0]) return null; // settled meanwhile (a late send, a status callback, another sweep)
      if (found) {
        await uow.q.query(`UPDATE outbound_messages SET provider_id = $2, updated_at = now() WHERE id = $1`, [s.message_id, found.sid]);
        const principal: Principal = { userId: s.started_by, accountId: s.account_id, role: 'user', sessionId: 'text-reconcile' };
        await finishTask(uow, principal, s.task_id, { outcome: 'completed' });
        await uow.audit(null, 'task.text_reconciled', 'task', s.task_id, { messageId: s.message_id, sent: true });
        return 'sent' as const;
      }
      await uow.q.query(`UPDATE outbound_messages SET status = 'failed', error_message = $2, updated_at = now() WHERE id = $1`, [s.message_id, STRANDED_REASON]);
      await uow.audit(null, 'task.text_reconciled', 'task', s.task_id, { messageId: s.message_id, sent: false });
      uow.touch('tasks', s.task_id);
      return 'notSent' as const;
    });
    if (outcome) settled[outcome] += 1;
  }
  return settled;
}
