import { write } from '../db/unit-of-work';
import { recordDomainEvent } from '../events/domain-events';
import { recordUnseenCall } from './unseen-call';
import { unseenCallRefOf } from './unseen-call-ref';
import type { VoiceDeps } from './voice-deps';
import type { RecordingParams, RecordingQuery } from './webhook-params';

/**
 * A recording's status (call recordings and voicemails), kept on the call; replays change nothing.
 * The voice fallback's recordings (its voicemail, its <Dial>'s) say whose call it is in the URL
 * (unseen-call-ref.ts): one may come before any status callback has filed the call, and is not lost.
 */
export async function recordingCallback(deps: VoiceDeps, p: RecordingParams, query: RecordingQuery): Promise<void> {
  const { kind } = query;
  let accountId = (await deps.ctx.db.query<{ account_id: string }>(
    `SELECT account_id FROM calls WHERE twilio_call_sid = $1 OR other_leg_sid = $1 LIMIT 1`, [p.CallSid]))[0]?.account_id;
  const unseen = unseenCallRefOf(query);
  if (!accountId && unseen) accountId = (await recordUnseenCall(deps, { callSid: p.CallSid, ...unseen })) ?? undefined;
  if (!accountId) {
    deps.ctx.log.info({ callSid: p.CallSid }, 'recording callback for an unknown call ignored');
    return;
  }
  await write(deps.ctx.db, accountId, async (uow) => {
    const rows = await uow.q.query<{
      id: string; recordings: { sid: string; kind?: string }[]; ended_at: string | null; contact_id: string | null; status: string; direction: string;
      duration_seconds: number | null; phone_number_id: string | null;
    }>(
      `SELECT id, recordings, ended_at, contact_id, status, direction, duration_seconds, phone_number_id
         FROM calls WHERE twilio_call_sid = $1 OR other_leg_sid = $1 ORDER BY twilio_call_sid = $1 DESC LIMIT 1 FOR NO KEY UPDATE`, [p.CallSid]);
    const call = rows[0]!;
    const entry = {
      sid: p.RecordingSid,
      url: p.RecordingUrl ?? null,
      durationSeconds: p.RecordingDuration !== undefined && p.RecordingDuration >= 0 ? p.RecordingDuration : null,
      status: p.RecordingStatus,
      kind,
    };
    const others = call.recordings.filter((r) => r.sid !== p.RecordingSid);
    const previous = call.recordings.find((r) => r.sid === p.RecordingSid);
    if (previous && JSON.stringify(previous) === JSON.stringify(entry)) return;
    await uow.q.query(`UPDATE calls SET recordings = $2::jsonb, updated_at = now() WHERE id = $1`, [call.id, JSON.stringify([...others, entry])]);
    uow.touch('calls', call.id);
    if (kind === 'voicemail' && call.ended_at !== null && !previous && !call.recordings.some((r) => r.kind === 'voicemail')) {
      // A voicemail usually lands after the call ended: Call Details workflows filtering on
      // "voicemail" are evaluated again (each workflow still runs at most once per call). One that
      // lands first is on the row when the call's end is evaluated.
      recordDomainEvent(uow, {
        accountId, type: 'call.ended', callId: call.id, contactId: call.contact_id,
        payload: { status: call.status, direction: call.direction, durationSeconds: call.duration_seconds, phoneNumberId: call.phone_number_id, voicemail: true },
      });
    }
  });
}
