import type { IncomingCall } from '../../shared/cloud/realtime';
import type { Queryable } from '../db';
import { EVENTS_CHANNEL, MAX_NOTIFY_BYTES } from '../db/unit-of-work';
import { runInLane } from '../db/lanes';
import { ApiError } from '../errors';
import { DOMAIN_EVENTS_CHANNEL } from '../events/domain-events';

/** One inbound call's row, as the inbound webhook decided it. */
export interface InboundCallRow {
  callId: string;
  accountId: string;
  locationId: string | null;
  callSid: string;
  from: string;
  to: string;
  phoneNumberId: string;
  contactId: string | null;
  /** Users whose softphones ring (they get the screen-pop). */
  ring: string[];
  status: 'ringing' | 'rejected';
  source: 'softphone' | 'external';
  screenPop: IncomingCall;
}

/** The stored call: this webhook's new row, or the row a replay of the same CallSid stored first. */
export interface StoredInboundCall {
  id: string;
  ring: string[];
}

/**
 * Writes inbound calls' rows for ONE account in one statement: the rows (keyed by CallSid: a replay
 * inserts nothing and gets the stored row back), ONE step of the account's change sequence for all of
 * them (each row still its own number, in the order given), the change event NOTIFY'd on commit (the
 * screen-pops split over as few notifications as fit PostgreSQL's 8000 bytes; only the first carries
 * the cursor), and a blocked call's call.ended domain event. The account row lock is held for this
 * one statement only. Returns each CallSid's stored call; throws if the statement fails (nothing of
 * it is stored then).
 */
export async function insertInboundCalls(db: Queryable, accountId: string, rows: readonly InboundCallRow[]): Promise<Map<string, StoredInboundCall>> {
  const chunks = screenPopChunks(accountId, rows);
  const inserted = await db.query<{ sid: string }>(
    `WITH input AS (
       SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int4[])
         WITH ORDINALITY AS i(id, location_id, sid, from_number, to_number, phone_number_id, contact_id, ring, status, source, msg, chunk, n)
     ), bump AS (
       UPDATE accounts SET change_seq = change_seq + $2 WHERE id = $1 RETURNING change_seq
     ), ins AS (
       INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, contact_id, rang_user_ids, status, ended_at, seq, source)
       SELECT i.id, $1, i.location_id, i.sid, 'inbound', i.from_number, i.to_number, i.phone_number_id, i.contact_id, i.ring::jsonb, i.status,
              CASE WHEN i.status = 'rejected' THEN now() END, bump.change_seq - $2 + i.n, i.source
         FROM input i CROSS JOIN bump ORDER BY i.n
       ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id, twilio_call_sid, seq
     ), groups AS (
       SELECT i.chunk, json_agg(i.msg::json ORDER BY i.n) FILTER (WHERE i.msg IS NOT NULL) AS m
         FROM ins JOIN input i ON i.id = ins.id GROUP BY i.chunk
     ), head AS (
       SELECT min(chunk) AS chunk, (SELECT max(seq) FROM ins) AS cursor FROM groups
     ), poke AS (
       -- The first notification carries the cursor (clients pull once) and its screen-pops, if any; the others only screen-pops.
       SELECT pg_notify($15, (CASE WHEN g.chunk = head.chunk
           THEN json_build_object('a', $1::text, 'e', json_build_array('calls'), 's', head.cursor, 'm', coalesce(g.m, '[]'::json))
           ELSE json_build_object('a', $1::text, 'e', json_build_array(), 'm', g.m) END)::text)
         FROM groups g CROSS JOIN head WHERE g.chunk = head.chunk OR g.m IS NOT NULL
     ), ended AS (
       -- A blocked call ends here (no status callback ends it): its call.ended domain event, same statement.
       INSERT INTO domain_events (account_id, type, contact_id, call_id, payload)
       SELECT $1, 'call.ended', i.contact_id, ins.id,
              json_build_object('status', 'rejected', 'direction', 'inbound', 'durationSeconds', 0, 'phoneNumberId', i.phone_number_id)::jsonb
         FROM ins JOIN input i ON i.id = ins.id WHERE i.status = 'rejected' RETURNING id
     ), wake AS (
       SELECT pg_notify($16, '') WHERE EXISTS (SELECT 1 FROM ended)
     )
     SELECT ins.twilio_call_sid AS sid, (SELECT count(*) FROM poke) AS poked, (SELECT count(*) FROM wake) AS woke FROM ins`,
    [
      accountId, rows.length,
      rows.map((r) => r.callId), rows.map((r) => r.locationId), rows.map((r) => r.callSid), rows.map((r) => r.from), rows.map((r) => r.to),
      rows.map((r) => r.phoneNumberId), rows.map((r) => r.contactId), rows.map((r) => JSON.stringify(r.ring)), rows.map((r) => r.status),
      rows.map((r) => r.source), chunks.map((c) => c.msg), chunks.map((c) => c.chunk), EVENTS_CHANNEL, DOMAIN_EVENTS_CHANNEL,
    ],
  );
  const stored = new Map<string, StoredInboundCall>();
  const fresh = new Set(inserted.map((r) => r.sid));
  for (const row of rows) if (fresh.has(row.callSid)) stored.set(row.callSid, { id: row.callId, ring: row.ring });
  if (stored.size < rows.length) {
    // Replayed webhooks: answer as the first one did, change nothing.
    const replayed = rows.filter((r) => !fresh.has(r.callSid)).map((r) => r.callSid);
    const existing = await db.query<{ twilio_call_sid: string; id: string; rang_user_ids: string[] }>(
      `SELECT twilio_call_sid, id, rang_user_ids FROM calls WHERE twilio_call_sid = ANY($1::text[])`, [replayed],
    );
    for (const row of existing) stored.set(row.twilio_call_sid, { id: row.id, ring: row.rang_user_ids });
  }
  return stored;
}

/**
 * Each row's screen-pop message (JSON) and the notification it goes in: greedily packed so each
 * change event stays under MAX_NOTIFY_BYTES. A screen-pop too large on its own is left out (null);
 * the poke alone still makes clients pull.
 */
function screenPopChunks(accountId: string, rows: readonly InboundCallRow[]): { msg: string | null; chunk: number }[] {
  // The envelope of a change event with the cursor: {"a":…,"e":["calls"],"s":<int8>,"m":[…]}.
  const envelope = Buffer.byteLength(JSON.stringify({ a: accountId, e: ['calls'], s: Number.MAX_SAFE_INTEGER, m: [] }));
  let chunk = 0;
  let used = envelope;
  return rows.map((row) => {
    if (row.ring.length === 0) return { msg: null, chunk };
    const msg = JSON.stringify({ to: row.ring, msg: { type: 'incoming-call', call: row.screenPop } });
    const bytes = Buffer.byteLength(msg) + 1; // and its comma
    if (envelope + bytes > MAX_NOTIFY_BYTES) return { msg: null, chunk };
    if (used + bytes > MAX_NOTIFY_BYTES) {
      chunk += 1;
      used = envelope;
    }
    used += bytes;
    return { msg, chunk };
  });
}

interface Waiting {
  row: InboundCallRow;
  resolve(call: StoredInboundCall): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the inbound webhook. Webhooks for one account that arrive while that account's
 * previous write is in flight (or in the same turn of the event loop) are written together by
 * `insertInboundCalls`: one statement, one sequence step and one commit for the lot, instead of one
 * per call, which is what makes PostgreSQL (and PGlite's single connection) keep up with a burst.
 * A quiet line waits for nothing: the first webhook is written on the next turn of the loop.
 *
 * Each webhook is answered only after its row is committed, exactly as when written alone. When a
 * batch's statement fails, its rows are written again one by one, so an error fails only the
 * webhooks it concerns (the handler answers those with a 5xx and Twilio retries them).
 */
export class InboundCallWriter {
  private readonly pending = new Map<string, Waiting[]>();
  private readonly writing = new Map<string, Promise<void>>();
  private closed = false;
  /** Batches written and rows in them, for /readyz-style figures and tests. */
  readonly stats = { batches: 0, rows: 0, largest: 0, fallbacks: 0 };

  constructor(
    private readonly db: Queryable,
    private readonly maxBatch = 200,
  ) {}

  /** Stores the call (or finds the stored one for a replayed CallSid); resolves once it is committed. */
  record(row: InboundCallRow): Promise<StoredInboundCall> {
    if (this.closed) return Promise.reject(new ApiError('SERVICE_UNAVAILABLE', 'Shutting down', { retryAfterSeconds: 1 }));
    return new Promise((resolve, reject) => {
      const queue = this.pending.get(row.accountId);
      if (queue) queue.push({ row, resolve, reject });
      else this.pending.set(row.accountId, [{ row, resolve, reject }]);
      if (!this.writing.has(row.accountId)) this.start(row.accountId, true);
    });
  }

  /** Stops taking rows and waits until every row already taken is committed or failed. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing.size > 0) await Promise.all([...this.writing.values()]);
  }

  private start(accountId: string, nextTurn: boolean): void {
    const run = async (): Promise<void> => {
      if (nextTurn) await new Promise((r) => setImmediate(r)); // let the webhooks read in this turn join
      for (;;) {
        const queue = this.pending.get(accountId);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
        if (queue.length === 0) this.pending.delete(accountId);
        await this.writeBatch(accountId, batch);
      }
    };
    const done = runInLane('webhook', run).finally(() => this.writing.delete(accountId));
    this.writing.set(accountId, done);
  }

  private async writeBatch(accountId: string, batch: Waiting[]): Promise<void> {
    // One row per CallSid: a replay inside the batch shares the first one's answer.
    const bySid = new Map<string, Waiting[]>();
    for (const waiting of batch) {
      const same = bySid.get(waiting.row.callSid);
      if (same) same.push(waiting);
      else bySid.set(waiting.row.callSid, [waiting]);
    }
    const rows = [...bySid.values()].map((same) => same[0]!.row);
    this.stats.batches += 1;
    this.stats.rows += rows.length;
    this.stats.largest = Math.max(this.stats.largest, rows.length);
    try {
      settle(bySid, await insertInboundCalls(this.db, accountId, rows), bySid.keys());
      return;
    } catch (error) {
      if (rows.length === 1) return fail(bySid.get(rows[0]!.callSid)!, error);
    }
    // The batch failed as a whole (nothing of it is stored): each row on its own finds the bad one.
    this.stats.fallbacks += 1;
    for (const row of rows) {
      try {
        settle(bySid, await insertInboundCalls(this.db, accountId, [row]), [row.callSid]);
      } catch (error) {
        fail(bySid.get(row.callSid)!, error);
      }
    }
  }
}

/** Answers the waiters of each of `sids` from `stored` (a row neither inserted nor found — deleted meanwhile — is an error). */
function settle(bySid: Map<string, Waiting[]>, stored: Map<string, StoredInboundCall>, sids: Iterable<string>): void {
  for (const sid of sids) {
    const call = stored.get(sid);
    for (const waiting of bySid.get(sid) ?? []) {
      if (call) waiting.resolve(call);
      else waiting.reject(new Error(`call ${sid} neither inserted nor found`));
    }
  }
}

function fail(waiting: Waiting[], error: unknown): void {
  for (const w of waiting) w.reject(error);
}
