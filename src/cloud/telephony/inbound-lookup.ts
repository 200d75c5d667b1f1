import { toE164 } from '../../shared/cloud/phone';
import type { Queryable } from '../db';
import { readCallers, toCallerContact, type CallerLoads, type ContactRow } from './caller-loads';
import type { CallerContact, NumberRoute, RoutingCache } from './routing-cache';

/** What the inbound webhook needs to route a call: the number called and the caller's contact. */
export interface InboundRoute {
  number: NumberRoute;
  contact: CallerContact | null;
}

type NumberRow = {
  id: string; account_id: string; location_id: string | null; number: string; name: string; forwarding_number: string | null;
  caller_id_mode: string; call_connect: boolean; whisper_message: string | null; record_calls: boolean; ring_timeout_seconds: number;
  inbound_routing: string; assigned_user_id: string | null; ring_all_user_ids: string[]; location_users: string[];
};

/** A number's routing columns, from `phone_numbers pn`. */
const NUMBER_ROUTE_COLUMNS = `pn.id, pn.account_id, pn.location_id, pn.number, pn.name, pn.forwarding_number, pn.caller_id_mode, pn.call_connect, pn.whisper_message,
            pn.record_calls, pn.ring_timeout_seconds, pn.inbound_routing,
            -- Only live users ring: a member or Ring All entry whose user was removed is skipped.
            (SELECT u.id FROM users u WHERE u.id = pn.assigned_user_id AND u.deleted_at IS NULL) AS assigned_user_id,
            (SELECT coalesce(jsonb_agg(r.id ORDER BY r.n), '[]'::jsonb) FROM jsonb_array_elements_text(pn.ring_all_user_ids) WITH ORDINALITY AS r(id, n)
               JOIN users u ON u.id = r.id AND u.account_id = pn.account_id AND u.deleted_at IS NULL) AS ring_all_user_ids,
            CASE WHEN jsonb_array_length(pn.ring_all_user_ids) = 0 THEN
              (SELECT coalesce(jsonb_agg(u.id ORDER BY u.id), '[]'::jsonb) FROM users u WHERE u.account_id = pn.account_id AND u.deleted_at IS NULL
                 AND (pn.location_id IS NULL OR u.location_ids @> jsonb_build_array(pn.location_id)))
            ELSE '[]'::jsonb END AS location_users`;

function toNumberRoute(row: NumberRow): NumberRoute {
  return {
    id: row.id, accountId: row.account_id, locationId: row.location_id, number: row.number, name: row.name, forwardingNumber: row.forwarding_number,
    callerIdMode: row.caller_id_mode, callConnect: row.call_connect, whisperMessage: row.whisper_message, recordCalls: row.record_calls,
    ringTimeoutSeconds: row.ring_timeout_seconds, inboundRouting: row.inbound_routing, assignedUserId: row.assigned_user_id,
    ringAllUserIds: row.ring_all_user_ids, locationUserIds: row.location_users,
  };
}

/** The routing of every live number of an account, or of every account (null): what the voice fallback keeps. */
export async function readNumberRoutes(db: Queryable, accountId: string | null): Promise<NumberRoute[]> {
  const rows = await db.query<NumberRow>(
    `SELECT ${NUMBER_ROUTE_COLUMNS} FROM phone_numbers pn WHERE pn.deleted_at IS NULL AND ($1::text IS NULL OR pn.account_id = $1)`, [accountId]);
  return rows.map(toNumberRoute);
}

/** The number called and the caller's contact: from the cache, else one round trip (and cached). */
export async function lookupInboundRoute(
  db: Queryable, cache: RoutingCache | undefined, to: string, from: string, callers?: CallerLoads,
): Promise<InboundRoute | null> {
  const cachedNumber = cache?.number(to);
  if (cachedNumber === null) return null;
  const cachedContact = cachedNumber ? cache!.contact(cachedNumber.accountId, from) : undefined;
  if (cachedNumber && cachedContact !== undefined) return { number: cachedNumber, contact: cachedContact };
  const numberGen = cache?.numberGeneration() ?? 0;
  const contactGen = cache?.contactGeneration() ?? 0;
  const phone = toE164(from) ?? from;
  if (cachedNumber) {
    // Only the caller is missing (e.g. a contacts change dropped the account's callers): coalesced with the other misses.
    if (callers) return { number: cachedNumber, contact: await callers.load(db, cachedNumber.accountId, from) };
    const contact = (await readCallers(db, cachedNumber.accountId, [from])).get(from) ?? null;
    cache!.setContact(cachedNumber.accountId, from, contact, contactGen);
    return { number: cachedNumber, contact };
  }
  const rows = await db.query<NumberRow & ContactRow>(
    `SELECT ${NUMBER_ROUTE_COLUMNS},
            c.id AS contact_id, c.name AS contact_name, c.tags AS contact_tags, c.assigned_user_id AS contact_assigned, c.dnd AS contact_dnd
       FROM phone_numbers pn
       LEFT JOIN LATERAL (SELECT * FROM contacts c WHERE c.account_id = pn.account_id AND c.phone = $2 AND c.deleted_at IS NULL
                          ORDER BY c.created_at LIMIT 1) c ON true
      WHERE pn.number = $1 AND pn.deleted_at IS NULL`,
    [to, phone],
  );
  const row = rows[0];
  if (!row) {
    cache?.setNumber(to, null, numberGen);
    return null;
  }
  const number = toNumberRoute(row);
  const contact = toCallerContact(row);
  cache?.setNumber(to, number, numberGen);
  cache?.setContact(number.accountId, from, contact, contactGen);
  return { number, contact };
}
