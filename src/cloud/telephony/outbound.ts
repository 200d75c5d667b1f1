import type { Dnd } from '../../shared/cloud/entities';
import { toE164 } from '../../shared/cloud/phone';
import { reserveDial } from '../call-policy/service';
import { write } from '../db/unit-of-work';
import { createNotification } from '../notifications/service';
import { newId } from '../ids';
import { taskForOutboundCall } from '../tasks/call-link';
import * as twiml from './twiml';
import type { VoiceDeps } from './voice-deps';
import { webhookPaths, type OutboundParams } from './webhook-params';

/** A call placed from the softphone (the TwiML app's Voice URL). */
export async function outboundCall(deps: VoiceDeps, p: OutboundParams): Promise<string> {
  const identity = p.From.startsWith('client:') ? p.From.slice('client:'.length) : null;
  const users = identity
    ? await deps.ctx.db.query<{ id: string; account_id: string; inbound_number: string | null; inbound_number_id: string | null; location_id: string | null }>(
        `SELECT u.id, u.account_id, pn.number AS inbound_number, pn.id AS inbound_number_id, pn.location_id
           FROM users u LEFT JOIN phone_numbers pn ON pn.assigned_user_id = u.id AND pn.deleted_at IS NULL
          WHERE u.id = $1 AND u.deleted_at IS NULL`,
        [identity],
      )
    : [];
  const user = users[0];
  if (!user) {
    deps.ctx.log.warn({ from: p.From, callSid: p.CallSid }, 'outbound call from an unknown client');
    return twiml.sayAndHangUp('This phone is not signed in to a valid user.');
  }
  const to = p.To.trim();
  if (!/^\+[1-9]\d{6,14}$/.test(to) || toE164(to) !== to) {
    return twiml.sayAndHangUp('The number you dialed is not a valid phone number.');
  }
  let callerId = user.inbound_number;
  let numberId = user.inbound_number_id;
  let locationId = user.location_id;
  if (p.CallerId) {
    const chosen = await deps.ctx.db.query<{ id: string; number: string; location_id: string | null }>(
      `SELECT id, number, location_id FROM phone_numbers WHERE account_id = $1 AND number = $2 AND deleted_at IS NULL`,
      [user.account_id, p.CallerId],
    );
    if (!chosen[0]) return twiml.sayAndHangUp('The caller ID you chose is not one of your practice numbers.');
    ({ number: callerId, id: numberId, location_id: locationId } = chosen[0]);
  }
  if (!callerId) {
    const any = await deps.ctx.db.query<{ id: string; number: string; location_id: string | null }>(
      `SELECT id, number, location_id FROM phone_numbers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
      [user.account_id],
    );
    if (!any[0]) return twiml.sayAndHangUp('Your practice has no phone number to call from.');
    ({ number: callerId, id: numberId, location_id: locationId } = any[0]);
  }
  // Toll fraud: only allowed countries, at most the practice's cap per user and hour (atomic).
  const decision = await reserveDial(deps.ctx.db, { accountId: user.account_id, userId: user.id, kind: 'call', to });
  if (!decision.ok) {
    await write(deps.ctx.db, user.account_id, async (uow) => {
      // The desktop shows why: the call is listed as rejected, and the user gets an in-app notification.
      const callId = newId('call');
      const inserted = await uow.q.query(
        `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, status, ended_at, note)
         VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7, $8, 'rejected', now(), $9) ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id`,
        [callId, user.account_id, locationId, p.CallSid, callerId, to, numberId, user.id, decision.message],
      );
      if (inserted.length > 0) uow.touch('calls', callId);
      await createNotification(uow, {
        userId: user.id,
        title: decision.code === 'OUTBOUND_CALL_LIMIT' ? 'Call not placed: hourly limit reached' : 'Call not placed: destination not allowed',
        message: `${to}: ${decision.message}`,
        redirect: `call:${inserted[0]?.id ?? callId}`,
        dedupeKey: `dial-refused:${p.CallSid}`,
      });
    });
    return twiml.sayAndHangUp(decision.code === 'OUTBOUND_CALL_LIMIT' ? 'You have reached your hourly limit of outbound calls.' : 'Calls to this country are not allowed for your practice.');
  }
  const contacts = await deps.ctx.db.query<{ id: string; dnd: Dnd }>(
    `SELECT id, dnd FROM contacts WHERE account_id = $1 AND phone = $2 AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
    [user.account_id, to],
  );
  const contact = contacts[0];
  const blocked = contact?.dnd?.call?.outbound === true;
  const taskId = blocked ? null : await taskForOutboundCall(deps.ctx.db, { accountId: user.account_id, userId: user.id, taskId: p.TaskId, to });
  if (p.TaskId && !taskId) deps.ctx.log.warn({ callSid: p.CallSid }, 'outbound call named a task it may not be linked to; placed unlinked');
  const recordRows = await deps.ctx.db.query<{ record_calls: boolean }>(`SELECT record_calls FROM phone_numbers WHERE id = $1`, [numberId]);
  await write(deps.ctx.db, user.account_id, async (uow) => {
    const callId = newId('call');
    const inserted = await uow.q.query(
      `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, contact_id, status, ended_at, task_id)
       VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7, $8, $9, $10, CASE WHEN $10 = 'rejected' THEN now() END, $11)
       ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id`,
      [callId, user.account_id, locationId, p.CallSid, callerId, to, numberId, user.id, contact?.id ?? null, blocked ? 'rejected' : 'queued', taskId],
    );
    if (inserted.length > 0) uow.touch('calls', callId);
  });
  if (blocked) return twiml.sayAndHangUp('This contact has asked not to be called.');
  return twiml.dialNumber({
    number: to,
    callerId,
    record: recordRows[0]?.record_calls ?? false,
    recordingUrl: deps.urls.url(webhookPaths.recording),
    statusUrl: deps.urls.url(webhookPaths.status),
  });
}
