import type { Queryable } from '../db';
import { write } from '../db/unit-of-work';
import { newId } from '../ids';
import type { VoiceDeps } from './voice-deps';
import type { UnseenCallRef } from './unseen-call-ref';

/** A call's parties as Twilio reports them: a phone number (inbound to one of ours) or `client:<user id>`. */
export interface UnseenCall extends UnseenCallRef {
  callSid: string;
}

/** The account of the call whose own SID this is, if it has a row. */
export async function accountOfCall(db: Queryable, twilioCallSid: string): Promise<string | null> {
  return (await db.query<{ account_id: string }>(`SELECT account_id FROM calls WHERE twilio_call_sid = $1`, [twilioCallSid]))[0]?.account_id ?? null;
}

/**
 * Keeps a record of a call whose voice webhook we never saw (answered by the voice fallback, or the
 * webhook's write lost), from a later callback about it: the account is the number's (inbound) or
 * the calling user's. A call that has its row already is left be. Returns the account of the
 * call's row, or null when its owner cannot be found (nothing is filed).
 */
export async function recordUnseenCall(deps: VoiceDeps, call: UnseenCall): Promise<string | null> {
  const { db } = deps.ctx;
  const inbound = !call.from.startsWith('client:');
  const lookup = inbound
    ? await db.query<{ account_id: string; id: string; location_id: string | null; user_id: string | null }>(
        `SELECT account_id, id, location_id, NULL AS user_id FROM phone_numbers WHERE number = $1 AND deleted_at IS NULL`, [call.to])
    : await db.query<{ account_id: string; id: string | null; location_id: string | null; user_id: string | null }>(
        `SELECT account_id, NULL AS id, NULL AS location_id, id AS user_id FROM users WHERE id = $1`, [call.from.slice('client:'.length)]);
  const owner = lookup[0];
  if (!owner) return null;
  const inserted = await write(db, owner.account_id, async (uow) => {
    const id = newId('call');
    // Only the account's live users count as rung (the URL is Twilio-signed, but its ids are checked like any other), in the order rung.
    const asked = inbound ? [...new Set(call.rang ?? [])] : [];
    const live = asked.length === 0 ? new Set<string>() : new Set(
      (await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND id = ANY($2::text[]) AND deleted_at IS NULL`, [owner.account_id, asked])).map((u) => u.id));
    const rang = asked.filter((userId) => live.has(userId));
    const rows = await uow.q.query(
      `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, status, rang_user_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10::jsonb) ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id`,
      [id, owner.account_id, owner.location_id, call.callSid, inbound ? 'inbound' : 'outbound', call.from, call.to, owner.id, owner.user_id, JSON.stringify(rang)],
    );
    if (rows.length > 0) uow.touch('calls', id);
    return rows.length > 0;
  });
  if (inserted) return owner.account_id;
  // Another callback of the call filed it meanwhile: its row says whose it is.
  return accountOfCall(db, call.callSid);
}
