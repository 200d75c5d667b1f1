import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { createNotification } from '../notifications/service';
import { isTerminal } from './call-status';

/**
 * An inbound call's <Dial> ended unanswered: the call is missed (unless it already ended some
 * other way) and everyone it rang is told. Both steps are idempotent for replays.
 */
export async function markMissed(uow: UnitOfWork, callSid: string): Promise<void> {
  const rows = await uow.q.query<{ id: string; status: string; answered_at: string | null }>(
    `SELECT id, status, answered_at FROM calls WHERE twilio_call_sid = $1 FOR NO KEY UPDATE`, [callSid]);
  const call = rows[0];
  if (!call || call.answered_at) return;
  if (call.status !== 'missed' && !isTerminal(call.status)) {
    await uow.q.query(`UPDATE calls SET status = 'missed', updated_at = now() WHERE id = $1`, [call.id]);
    uow.touch('calls', call.id);
  }
  if (call.status === 'missed' || !isTerminal(call.status)) await notifyMissed(uow, call.id, callSid);
}

/** One notification per user the call rang; the dedupe key makes replays harmless. */
export async function notifyMissed(uow: UnitOfWork, callId: string, callSid: string): Promise<void> {
  const info = await describeCall(uow.q, callId);
  if (!info) return;
  for (const userId of info.rang) {
    await createNotification(uow, {
      userId,
      title: 'Missed call',
      message: `Missed call from ${info.caller} on ${info.numberName}`,
      redirect: `call:${callId}`,
      dedupeKey: `missed-call:${callSid}`,
    });
  }
}

async function describeCall(q: Queryable, callId: string): Promise<{ rang: string[]; caller: string; numberName: string } | null> {
  const rows = await q.query<{ rang_user_ids: string[]; from_number: string; contact_name: string | null; number_name: string | null }>(
    `SELECT k.rang_user_ids, k.from_number, c.name AS contact_name, pn.name AS number_name
       FROM calls k LEFT JOIN contacts c ON c.id = k.contact_id LEFT JOIN phone_numbers pn ON pn.id = k.phone_number_id WHERE k.id = $1`,
    [callId],
  );
  const row = rows[0];
  if (!row) return null;
  return { rang: row.rang_user_ids, caller: row.contact_name ?? row.from_number, numberName: row.number_name ?? 'your practice line' };
}
