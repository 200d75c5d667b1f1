import type { CallStatus } from '../../shared/cloud/entities';
import { write } from '../db/unit-of-work';
import { recordDomainEvent } from '../events/domain-events';
import { nextCallProgress, sameProgress, type CallDirection, type CallProgress, type StatusCallback } from './call-status';
import { notifyMissed } from './missed-calls';
import { accountOfCall, recordUnseenCall } from './unseen-call';
import { unseenCallRefOf } from './unseen-call-ref';
import type { VoiceDeps } from './voice-deps';
import type { StatusParams, UnseenCallQuery } from './webhook-params';

type CallRow = {
  id: string; direction: CallDirection; status: CallStatus; answered_at: string | null; ended_at: string | null; duration_seconds: number | null;
  user_id: string | null; other_leg_sid: string | null; rang_user_ids: string[]; contact_id: string | null; phone_number_id: string | null;
};
const progressOf = (row: CallRow): CallProgress => ({
  direction: row.direction, status: row.status, answeredAt: row.answered_at, endedAt: row.ended_at, durationSeconds: row.duration_seconds,
  userId: row.user_id, otherLegSid: row.other_leg_sid, rangUserIds: row.rang_user_ids,
});

/** Call progress for the parent call and its <Dial> legs (`call-status.ts` decides). Replays leave the record as it is. */
export async function statusCallback(deps: VoiceDeps, p: StatusParams, query: UnseenCallQuery = {}): Promise<void> {
  const { db, log } = deps.ctx;
  const parentSid = p.ParentCallSid ?? p.CallSid;
  let accountId = await accountOfCall(db, parentSid);
  if (!accountId) {
    // A call whose voice webhook we never saw: the parent's own callback says who called whom; a
    // <Dial> leg's (the voice fallback's ringing) says it in its URL, with whom the fallback rang.
    const unseen = p.ParentCallSid ? unseenCallRefOf(query) : { from: p.From, to: p.To };
    if (unseen) accountId = await recordUnseenCall(deps, { callSid: parentSid, ...unseen });
  }
  if (!accountId) {
    log.info({ callSid: p.CallSid, parent: p.ParentCallSid }, 'status callback for an unknown call ignored');
    return;
  }
  const at = parseTimestamp(p.Timestamp);
  const callback: StatusCallback = p.ParentCallSid
    ? { leg: 'dial', callSid: p.CallSid, status: p.CallStatus, at, to: p.To, durationSeconds: p.CallDuration }
    : { leg: 'call', status: p.CallStatus, at, durationSeconds: p.CallDuration };
  await write(db, accountId, async (uow) => {
    const rows = await uow.q.query<CallRow>(
      `SELECT id, direction, status, answered_at, ended_at, duration_seconds, user_id, other_leg_sid, rang_user_ids, contact_id, phone_number_id
         FROM calls WHERE twilio_call_sid = $1 FOR NO KEY UPDATE`,
      [parentSid],
    );
    const row = rows[0]!;
    const call = progressOf(row);
    const next = { ...nextCallProgress(call, callback) };
    if (next.userId !== call.userId && next.userId !== null) {
      // The answering identity came from the webhook: keep it only if it is a user of this account.
      const member = await uow.q.query(`SELECT id FROM users WHERE id = $1 AND account_id = $2`, [next.userId, accountId]);
      if (member.length === 0) next.userId = call.userId;
    }
    if (sameProgress(call, next)) return;
    await uow.q.query(
      `UPDATE calls SET status = $2, answered_at = $3, ended_at = $4, duration_seconds = $5, user_id = $6, other_leg_sid = $7, updated_at = now() WHERE id = $1`,
      [row.id, next.status, next.answeredAt, next.endedAt, next.durationSeconds, next.userId, next.otherLegSid],
    );
    uow.touch('calls', row.id);
    if (next.status === 'missed') await notifyMissed(uow, row.id, parentSid);
    if (!call.endedAt && next.endedAt) {
      // The Call Details trigger of workflows without a disposition filter fires on this.
      recordDomainEvent(uow, {
        accountId, type: 'call.ended', callId: row.id, contactId: row.contact_id,
        payload: { status: next.status, direction: row.direction, durationSeconds: next.durationSeconds, phoneNumberId: row.phone_number_id },
      });
    }
  });
}

function parseTimestamp(value: string | undefined): string {
  if (value) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return new Date().toISOString();
}
