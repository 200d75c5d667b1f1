import { write } from '../db/unit-of-work';
import { newId } from '../ids';
import type { VoiceDeps } from './voice-deps';
import type { UnseenCallQuery } from './webhook-params';

/**
 * The voice fallback's calls have no row when it answers. Its callback URLs (status, recording)
 * carry the caller, the number called and whom it rang, so the first callback to come can file the
 * call: Twilio signs the whole URL, so they are as trustworthy as the rest of the request.
 */
export interface UnseenCallRef {
  from: string;
  to: string;
  /** The users the fallback rang: a call none of them answered is then a missed call, as any other. */
  rang?: readonly string[] | undefined;
}

/**
 * Characters of rung user ids a fallback's TwiML may carry in all: each <Client> it rings repeats
 * its status URL, and Twilio refuses a document over 64 KB. A front desk's few users all fit; a
 * very large ring group names its first users only (the others are not told of the missed call).
 */
const RANG_BUDGET = 16_000;

/** The rung users a URL repeated `copies` times may name, in order, within the budget. */
export function rangThatFits(userIds: readonly string[], copies: number): string[] {
  const perCopy = Math.floor(RANG_BUDGET / Math.max(1, copies));
  const kept: string[] = [];
  let length = 0;
  for (const id of userIds) {
    length += id.length + 1;
    if (length > perCopy) break;
    kept.push(id);
  }
  return kept;
}

/** The query a fallback callback URL carries (webhook-params' unseenCallQuery reads it back). */
export function unseenCallQuery(ref: UnseenCallRef): Record<string, string> {
  if (!ref.from || !ref.to) return {}; // nothing to file it under (Twilio always sends both)
  const rang = ref.rang ?? [];
  return { from: ref.from, to: ref.to, ...(rang.length > 0 ? { rang: rang.join(',') } : {}) };
}

/** The reference a fallback callback URL carried, if it carried one. */
export function unseenCallRefOf(query: UnseenCallQuery): UnseenCallRef | null {
  if (!query.from || !query.to) return null;
  return { from: query.from, to: query.to, rang: query.rang ? query.rang.split(',').filter(Boolean) : [] };
}

/** A call's parties as Twilio reports them: a phone number (inbound to one of ours) or `client:<user id>`. */
export interface UnseenCall extends UnseenCallRef {
  callSid: string;
}

/**
 * Keeps a record of a call whose voice webhook we never saw (answered by the voice fallback, or the
 * webhook's write lost), from a later callback about it: the account is the number's (inbound) or
 * the calling user's. A call that has its row already, or whose owner cannot be found, is left be.
 */
export async function recordUnseenCall(deps: VoiceDeps, call: UnseenCall): Promise<void> {
  const { db } = deps.ctx;
  const inbound = !call.from.startsWith('client:');
  const lookup = inbound
    ? await db.query<{ account_id: string; id: string; location_id: string | null; user_id: string | null }>(
        `SELECT account_id, id, location_id, NULL AS user_id FROM phone_numbers WHERE number = $1 AND deleted_at IS NULL`, [call.to])
    : await db.query<{ account_id: string; id: string | null; location_id: string | null; user_id: string | null }>(
        `SELECT account_id, NULL AS id, NULL AS location_id, id AS user_id FROM users WHERE id = $1`, [call.from.slice('client:'.length)]);
  const owner = lookup[0];
  if (!owner) return;
  await write(db, owner.account_id, async (uow) => {
    const id = newId('call');
    // Only the account's live users count as rung (the URL is Twilio-signed, but its ids are checked like any other).
    const rang = inbound && call.rang?.length
      ? (await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND id = ANY($2::text[]) AND deleted_at IS NULL`, [owner.account_id, [...call.rang]]))
        .map((u) => u.id)
      : [];
    const rows = await uow.q.query(
      `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, status, rang_user_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10::jsonb) ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id`,
      [id, owner.account_id, owner.location_id, call.callSid, inbound ? 'inbound' : 'outbound', call.from, call.to, owner.id, owner.user_id, JSON.stringify(rang)],
    );
    if (rows.length > 0) uow.touch('calls', id);
  });
}
