import { z } from 'zod';
import type { IncomingCall } from '../../shared/cloud/realtime';
import type { Dnd } from '../../shared/cloud/entities';
import { toE164 } from '../../shared/cloud/phone';
import type { CloudContext } from '../context';
import type { Queryable } from '../db';
import { newId } from '../ids';
import { createNotification } from '../notifications/service';
import { EVENTS_CHANNEL, MAX_NOTIFY_BYTES, write, type ChangeEvent, type UnitOfWork } from '../db/unit-of-work';
import type { CallerContact, NumberRoute, RoutingCache } from './routing-cache';
import * as twiml from './twiml';

/** Webhook paths (under the public URL). The TwiML app's Voice URL is OUTBOUND; each number's is INBOUND. */
export const webhookPaths = {
  inbound: '/twilio/voice/inbound',
  outbound: '/twilio/voice/outbound',
  status: '/twilio/voice/status',
  recording: '/twilio/voice/recording',
  dialComplete: '/twilio/voice/dial-complete',
  whisper: '/twilio/voice/whisper',
  whisperAccept: '/twilio/voice/whisper-accept',
  voicemailDone: '/twilio/voice/voicemail-done',
} as const;

const sid = z.string().min(2).max(64);
const callParams = z.object({ CallSid: sid, AccountSid: sid, From: z.string().max(128), To: z.string().max(128) });
export const inboundParamsSchema = callParams;
export const outboundParamsSchema = callParams.extend({
  /** Device.connect({ params: { To, CallerId } }) arrive as custom parameters. */
  CallerId: z.string().max(32).optional(),
});
export const statusParamsSchema = callParams.extend({
  CallStatus: z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'answered', 'completed', 'busy', 'no-answer', 'canceled', 'failed']),
  ParentCallSid: sid.optional(),
  CallDuration: z.coerce.number().int().min(0).optional(),
  Direction: z.string().max(32).optional(),
  Timestamp: z.string().max(64).optional(),
});
export const recordingParamsSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  RecordingSid: sid,
  RecordingUrl: z.string().max(1024).optional(),
  RecordingStatus: z.string().max(32).default('completed'),
  RecordingDuration: z.coerce.number().int().min(-1).optional(),
});
export const dialCompleteParamsSchema = z.object({
  CallSid: sid,
  AccountSid: sid,
  DialCallStatus: z.string().max(32),
  DialCallSid: sid.optional(),
});

type NumberRow = {
  id: string; account_id: string; location_id: string | null; number: string; name: string; forwarding_number: string | null;
  caller_id_mode: string; call_connect: boolean; whisper_message: string | null; record_calls: boolean; ring_timeout_seconds: number;
  inbound_routing: string; assigned_user_id: string | null; ring_all_user_ids: string[]; location_users: string[];
};
type ContactRow = {
  contact_id: string | null; contact_name: string | null; contact_tags: string[] | null; contact_assigned: string | null; contact_dnd: Dnd | null;
};
const toCallerContact = (row: ContactRow | undefined): CallerContact | null =>
  row?.contact_id
    ? { id: row.contact_id, name: row.contact_name ?? '', tags: row.contact_tags ?? [], assignedUserId: row.contact_assigned, dnd: row.contact_dnd }
    : null;

const TERMINAL = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed', 'rejected', 'missed']);

export class VoiceWebhooks {
  /** Absolute callback URLs by path, for the current public URL (fixed once the server listens). */
  private urls = new Map<string, string>();
  private urlsFor = '';

  /** `routes` caches numbers and callers for the inbound webhook (see RoutingCache); without it every call reads them. */
  constructor(
    private readonly ctx: CloudContext,
    private readonly routes?: RoutingCache,
  ) {}

  private url(path: string, query?: Record<string, string>): string {
    const base = this.ctx.publicUrl();
    if (base !== this.urlsFor) {
      this.urls = new Map();
      this.urlsFor = base;
    }
    let url = this.urls.get(path);
    if (url === undefined) this.urls.set(path, (url = new URL(path, base).toString()));
    // What URL.searchParams.set would append to a URL without a query (same encoding).
    return query ? `${url}?${new URLSearchParams(query).toString()}` : url;
  }

  /** The number called and the caller's contact: from the cache, else one round trip (and cached). */
  private async routeFor(to: string, from: string): Promise<{ number: NumberRoute; contact: CallerContact | null } | null> {
    const cache = this.routes;
    const cachedNumber = cache?.number(to);
    if (cachedNumber === null) return null;
    const cachedContact = cachedNumber ? cache!.contact(cachedNumber.accountId, from) : undefined;
    if (cachedNumber && cachedContact !== undefined) return { number: cachedNumber, contact: cachedContact };
    const numberGen = cache?.numberGeneration() ?? 0;
    const contactGen = cache?.contactGeneration() ?? 0;
    const phone = toE164(from) ?? from;
    if (cachedNumber) {
      const rows = await this.ctx.db.query<ContactRow>(
        `SELECT c.id AS contact_id, c.name AS contact_name, c.tags AS contact_tags, c.assigned_user_id AS contact_assigned, c.dnd AS contact_dnd
           FROM contacts c WHERE c.account_id = $1 AND c.phone = $2 AND c.deleted_at IS NULL ORDER BY c.created_at LIMIT 1`,
        [cachedNumber.accountId, phone],
      );
      const contact = toCallerContact(rows[0]);
      cache!.setContact(cachedNumber.accountId, from, contact, contactGen);
      return { number: cachedNumber, contact };
    }
    const rows = await this.ctx.db.query<NumberRow & ContactRow>(
      `SELECT pn.id, pn.account_id, pn.location_id, pn.number, pn.name, pn.forwarding_number, pn.caller_id_mode, pn.call_connect, pn.whisper_message,
              pn.record_calls, pn.ring_timeout_seconds, pn.inbound_routing, pn.assigned_user_id, pn.ring_all_user_ids,
              c.id AS contact_id, c.name AS contact_name, c.tags AS contact_tags, c.assigned_user_id AS contact_assigned, c.dnd AS contact_dnd,
              CASE WHEN pn.inbound_routing = 'ring_all' AND jsonb_array_length(pn.ring_all_user_ids) = 0 THEN
                (SELECT coalesce(jsonb_agg(u.id ORDER BY u.id), '[]'::jsonb) FROM users u WHERE u.account_id = pn.account_id AND u.deleted_at IS NULL
                   AND (pn.location_id IS NULL OR u.location_ids @> jsonb_build_array(pn.location_id)))
              ELSE '[]'::jsonb END AS location_users
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
    const number: NumberRoute = {
      id: row.id, accountId: row.account_id, locationId: row.location_id, number: row.number, name: row.name, forwardingNumber: row.forwarding_number,
      callerIdMode: row.caller_id_mode, callConnect: row.call_connect, whisperMessage: row.whisper_message, recordCalls: row.record_calls,
      ringTimeoutSeconds: row.ring_timeout_seconds, inboundRouting: row.inbound_routing, assignedUserId: row.assigned_user_id,
      ringAllUserIds: row.ring_all_user_ids, locationUserIds: row.location_users,
    };
    const contact = toCallerContact(row);
    cache?.setNumber(to, number, numberGen);
    cache?.setContact(number.accountId, from, contact, contactGen);
    return { number, contact };
  }

  /** A call to one of the account's numbers: route by the number's settings. */
  async inbound(p: z.infer<typeof inboundParamsSchema>): Promise<string> {
    const route = await this.routeFor(p.To, p.From);
    if (!route) {
      this.ctx.log.warn({ to: p.To, callSid: p.CallSid }, 'inbound call to an unknown number');
      return twiml.sayAndHangUp('The number you have called is not in service.');
    }
    const { number, contact } = route;
    const callId = newId('call');

    // Inbound call DND on the contact: refuse without ringing anyone.
    const blocked = contact?.dnd?.call?.inbound === true;
    let ring: string[] = [];
    if (!blocked && !number.forwardingNumber) {
      if (number.inboundRouting === 'assigned_member') {
        const member = number.assignedUserId ?? contact?.assignedUserId;
        ring = member ? [member] : [];
      } else {
        ring = number.ringAllUserIds.length > 0 ? number.ringAllUserIds : number.locationUserIds;
      }
    }
    const status = blocked ? 'rejected' : 'ringing';
    const screenPop: IncomingCall = {
      callId, twilioCallSid: p.CallSid, from: p.From, to: p.To, phoneNumberId: number.id, phoneNumberName: number.name,
      whisperMessage: number.whisperMessage, locationId: number.locationId,
      contact: contact ? { id: contact.id, name: contact.name, tags: contact.tags, assignedUserId: contact.assignedUserId } : null,
    };
    // The change event, less its cursor: SQL appends `"s":<seq>}` once the row has its seq. A
    // screen-pop too large for NOTIFY's 8000 bytes is left out; the poke alone still makes clients pull.
    let event = JSON.stringify({ a: number.accountId, e: ['calls'], ...(ring.length > 0 ? { m: [{ to: ring, msg: { type: 'incoming-call', call: screenPop } }] } : {}) } satisfies ChangeEvent);
    if (Buffer.byteLength(event) > MAX_NOTIFY_BYTES) event = JSON.stringify({ a: number.accountId, e: ['calls'] } satisfies ChangeEvent);
    event = `${event.slice(0, -1)},"s":`;
    // The hot path of the benchmark: what a UnitOfWork does (row, account seq, NOTIFY on commit)
    // in ONE statement, so the account row lock is held for one short statement only.
    const inserted = await this.ctx.db.query<{ id: string }>(
      `WITH bump AS (
         UPDATE accounts SET change_seq = change_seq + 1 WHERE id = $2 RETURNING change_seq
       ), ins AS (
         INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, contact_id, rang_user_ids, status, ended_at, seq)
         SELECT $1, $2, $3, $4, 'inbound', $5, $6, $7, $8, $9::jsonb, $10, CASE WHEN $10 = 'rejected' THEN now() END, bump.change_seq FROM bump
         ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id, seq
       ), poke AS (
         SELECT pg_notify($11, $12::text || ins.seq::text || '}') FROM ins
       )
       SELECT ins.id, (SELECT count(*) FROM poke) AS poked FROM ins`,
      [callId, number.accountId, number.locationId, p.CallSid, p.From, p.To, number.id, contact?.id ?? null, JSON.stringify(ring), status,
        EVENTS_CHANNEL, event],
    );
    let created = { id: callId, ring };
    if (inserted.length === 0) {
      // A replayed webhook: answer as before, change nothing.
      const existing = await this.ctx.db.query<{ id: string; rang_user_ids: string[] }>(`SELECT id, rang_user_ids FROM calls WHERE twilio_call_sid = $1`, [p.CallSid]);
      created = { id: existing[0]!.id, ring: existing[0]!.rang_user_ids };
    }

    if (blocked) return twiml.reject();
    if (number.forwardingNumber) {
      return twiml.dialNumber({
        number: number.forwardingNumber,
        callerId: number.callerIdMode === 'number' ? number.number : undefined,
        statusUrl: this.url(webhookPaths.status),
      });
    }
    if (created.ring.length === 0) return this.voicemailTwiml(created.id);
    return twiml.ringClients({
      identities: created.ring,
      callId: created.id,
      timeoutSeconds: number.ringTimeoutSeconds,
      record: number.recordCalls,
      callerId: number.callerIdMode === 'number' ? number.number : undefined,
      whisperUrl: number.whisperMessage || number.callConnect ? this.url(webhookPaths.whisper, { callId: created.id }) : undefined,
      actionUrl: this.url(webhookPaths.dialComplete, { callId: created.id }),
      statusUrl: this.url(webhookPaths.status),
      recordingUrl: this.url(webhookPaths.recording),
    });
  }

  /** The number's voicemail for a call (also used when a receptionist sends a ringing call there). */
  voicemailTwiml(callId: string): string {
    return twiml.voicemail({
      greeting: 'Sorry, no one is available to take your call. Please leave a message after the tone.',
      actionUrl: this.url(webhookPaths.voicemailDone, { callId }),
      recordingUrl: this.url(webhookPaths.recording, { kind: 'voicemail' }),
    });
  }

  /** Run on the answering user's leg before bridging. */
  async whisper(callId: string): Promise<string> {
    const rows = await this.ctx.db.query<{ whisper_message: string | null; call_connect: boolean }>(
      `SELECT pn.whisper_message, pn.call_connect FROM calls k JOIN phone_numbers pn ON pn.id = k.phone_number_id WHERE k.id = $1`,
      [callId],
    );
    const row = rows[0];
    if (!row) return twiml.empty();
    return twiml.whisper({ message: row.whisper_message, callConnect: row.call_connect, acceptUrl: this.url(webhookPaths.whisperAccept) });
  }

  /** The <Dial> of an inbound call ended: connected calls hang up, the rest go to voicemail. */
  async dialComplete(callId: string, p: z.infer<typeof dialCompleteParamsSchema>): Promise<string> {
    if (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered') return twiml.hangUp();
    const call = await this.ctx.db.query<{ account_id: string }>(`SELECT account_id FROM calls WHERE id = $1 AND twilio_call_sid = $2`, [callId, p.CallSid]);
    if (call[0]) await write(this.ctx.db, call[0].account_id, (uow) => this.markMissed(uow, p.CallSid));
    return this.voicemailTwiml(callId);
  }

  /** A call placed from the softphone (the TwiML app's Voice URL). */
  async outbound(p: z.infer<typeof outboundParamsSchema>): Promise<string> {
    const identity = p.From.startsWith('client:') ? p.From.slice('client:'.length) : null;
    const users = identity
      ? await this.ctx.db.query<{ id: string; account_id: string; inbound_number: string | null; inbound_number_id: string | null; location_id: string | null }>(
          `SELECT u.id, u.account_id, pn.number AS inbound_number, pn.id AS inbound_number_id, pn.location_id
             FROM users u LEFT JOIN phone_numbers pn ON pn.assigned_user_id = u.id AND pn.deleted_at IS NULL
            WHERE u.id = $1 AND u.deleted_at IS NULL`,
          [identity],
        )
      : [];
    const user = users[0];
    if (!user) {
      this.ctx.log.warn({ from: p.From, callSid: p.CallSid }, 'outbound call from an unknown client');
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
      const chosen = await this.ctx.db.query<{ id: string; number: string; location_id: string | null }>(
        `SELECT id, number, location_id FROM phone_numbers WHERE account_id = $1 AND number = $2 AND deleted_at IS NULL`,
        [user.account_id, p.CallerId],
      );
      if (!chosen[0]) return twiml.sayAndHangUp('The caller ID you chose is not one of your practice numbers.');
      ({ number: callerId, id: numberId, location_id: locationId } = chosen[0]);
    }
    if (!callerId) {
      const any = await this.ctx.db.query<{ id: string; number: string; location_id: string | null }>(
        `SELECT id, number, location_id FROM phone_numbers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
        [user.account_id],
      );
      if (!any[0]) return twiml.sayAndHangUp('Your practice has no phone number to call from.');
      ({ number: callerId, id: numberId, location_id: locationId } = any[0]);
    }
    const contacts = await this.ctx.db.query<{ id: string; dnd: Dnd }>(
      `SELECT id, dnd FROM contacts WHERE account_id = $1 AND phone = $2 AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
      [user.account_id, to],
    );
    const contact = contacts[0];
    const blocked = contact?.dnd?.call?.outbound === true;
    const recordRows = await this.ctx.db.query<{ record_calls: boolean }>(`SELECT record_calls FROM phone_numbers WHERE id = $1`, [numberId]);
    await write(this.ctx.db, user.account_id, async (uow) => {
      const callId = newId('call');
      const inserted = await uow.q.query(
        `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, contact_id, status, ended_at)
         VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7, $8, $9, $10, CASE WHEN $10 = 'rejected' THEN now() END)
         ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id`,
        [callId, user.account_id, locationId, p.CallSid, callerId, to, numberId, user.id, contact?.id ?? null, blocked ? 'rejected' : 'queued'],
      );
      if (inserted.length > 0) uow.touch('calls', callId);
    });
    if (blocked) return twiml.sayAndHangUp('This contact has asked not to be called.');
    return twiml.dialNumber({
      number: to,
      callerId,
      record: recordRows[0]?.record_calls ?? false,
      recordingUrl: this.url(webhookPaths.recording),
      statusUrl: this.url(webhookPaths.status),
    });
  }

  /** Call progress for the parent call and its <Dial> legs. Replays leave the record as it is. */
  async status(p: z.infer<typeof statusParamsSchema>): Promise<void> {
    const parentSid = p.ParentCallSid ?? p.CallSid;
    let found = await this.ctx.db.query<{ account_id: string }>(`SELECT account_id FROM calls WHERE twilio_call_sid = $1`, [parentSid]);
    if (!found[0] && !p.ParentCallSid) {
      await this.createFromStatus(p);
      found = await this.ctx.db.query<{ account_id: string }>(`SELECT account_id FROM calls WHERE twilio_call_sid = $1`, [parentSid]);
    }
    const accountId = found[0]?.account_id;
    if (!accountId) {
      this.ctx.log.info({ callSid: p.CallSid, parent: p.ParentCallSid }, 'status callback for an unknown call ignored');
      return;
    }
    await write(this.ctx.db, accountId, async (uow) => {
      const rows = await uow.q.query<{
        id: string; direction: string; status: string; answered_at: string | null; ended_at: string | null; duration_seconds: number | null;
        user_id: string | null; other_leg_sid: string | null; rang_user_ids: string[];
      }>(`SELECT id, direction, status, answered_at, ended_at, duration_seconds, user_id, other_leg_sid, rang_user_ids FROM calls WHERE twilio_call_sid = $1 FOR UPDATE`, [parentSid]);
      const call = rows[0]!;
      const at = parseTimestamp(p.Timestamp);
      const next = { ...call };
      const terminalNow = TERMINAL.has(call.status);
      if (p.ParentCallSid) {
        // A <Dial> leg: its answer is the call's answer.
        if ((p.CallStatus === 'in-progress' || p.CallStatus === 'answered') && !call.answered_at) {
          next.answered_at = at;
          next.other_leg_sid = p.CallSid;
          if (!terminalNow) next.status = 'in-progress';
          const identity = p.To.startsWith('client:') ? p.To.slice('client:'.length) : null;
          if (call.direction === 'inbound' && identity) {
            const member = await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE id = $1 AND account_id = $2`, [identity, accountId]);
            if (member[0]) next.user_id = member[0].id;
          }
        } else if (call.direction === 'outbound' && !call.answered_at && !terminalNow && TERMINAL.has(p.CallStatus)) {
          next.status = p.CallStatus; // the callee was busy / did not answer
          next.other_leg_sid = p.CallSid;
        }
      } else if (TERMINAL.has(p.CallStatus)) {
        next.ended_at = call.ended_at ?? at;
        if (p.CallDuration !== undefined) next.duration_seconds = p.CallDuration;
        if (!terminalNow) {
          const missed = call.direction === 'inbound' && !call.answered_at && call.rang_user_ids.length > 0;
          next.status = missed ? 'missed' : call.direction === 'outbound' && !call.answered_at && p.CallStatus === 'completed' ? 'no-answer' : p.CallStatus;
        }
      } else if (call.status === 'queued' && p.CallStatus === 'ringing') {
        next.status = 'ringing';
      }
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== call[k]);
      if (changed.length === 0) return;
      await uow.q.query(
        `UPDATE calls SET status = $2, answered_at = $3, ended_at = $4, duration_seconds = $5, user_id = $6, other_leg_sid = $7, updated_at = now() WHERE id = $1`,
        [call.id, next.status, next.answered_at, next.ended_at, next.duration_seconds, next.user_id, next.other_leg_sid],
      );
      uow.touch('calls', call.id);
      if (next.status === 'missed') await this.notifyMissed(uow, call.id, parentSid);
    });
  }

  /** A status callback for a call whose voice webhook we never saw: keep a record anyway. */
  private async createFromStatus(p: z.infer<typeof statusParamsSchema>): Promise<void> {
    const inbound = !p.From.startsWith('client:');
    const lookup = inbound
      ? await this.ctx.db.query<{ account_id: string; id: string; location_id: string | null; user_id: string | null }>(
          `SELECT account_id, id, location_id, NULL AS user_id FROM phone_numbers WHERE number = $1 AND deleted_at IS NULL`, [p.To])
      : await this.ctx.db.query<{ account_id: string; id: string | null; location_id: string | null; user_id: string | null }>(
          `SELECT account_id, NULL AS id, NULL AS location_id, id AS user_id FROM users WHERE id = $1`, [p.From.slice('client:'.length)]);
    const owner = lookup[0];
    if (!owner) return;
    await write(this.ctx.db, owner.account_id, async (uow) => {
      const id = newId('call');
      const rows = await uow.q.query(
        `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued') ON CONFLICT (twilio_call_sid) DO NOTHING RETURNING id`,
        [id, owner.account_id, owner.location_id, p.CallSid, inbound ? 'inbound' : 'outbound', p.From, p.To, owner.id, owner.user_id],
      );
      if (rows.length > 0) uow.touch('calls', id);
    });
  }

  private async markMissed(uow: UnitOfWork, callSid: string): Promise<void> {
    const rows = await uow.q.query<{ id: string; status: string; answered_at: string | null }>(
      `SELECT id, status, answered_at FROM calls WHERE twilio_call_sid = $1 FOR UPDATE`, [callSid]);
    const call = rows[0];
    if (!call || call.answered_at) return;
    if (call.status !== 'missed' && !TERMINAL.has(call.status)) {
      await uow.q.query(`UPDATE calls SET status = 'missed', updated_at = now() WHERE id = $1`, [call.id]);
      uow.touch('calls', call.id);
    }
    if (call.status === 'missed' || !TERMINAL.has(call.status)) await this.notifyMissed(uow, call.id, callSid);
  }

  /** One notification per user the call rang; the dedupe key makes replays harmless. */
  private async notifyMissed(uow: UnitOfWork, callId: string, callSid: string): Promise<void> {
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

  async recording(p: z.infer<typeof recordingParamsSchema>, kind: 'call' | 'voicemail'): Promise<void> {
    const found = await this.ctx.db.query<{ account_id: string }>(`SELECT account_id FROM calls WHERE twilio_call_sid = $1 OR other_leg_sid = $1 LIMIT 1`, [p.CallSid]);
    const accountId = found[0]?.account_id;
    if (!accountId) {
      this.ctx.log.info({ callSid: p.CallSid }, 'recording callback for an unknown call ignored');
      return;
    }
    await write(this.ctx.db, accountId, async (uow) => {
      const rows = await uow.q.query<{ id: string; recordings: { sid: string }[] }>(
        `SELECT id, recordings FROM calls WHERE twilio_call_sid = $1 OR other_leg_sid = $1 ORDER BY twilio_call_sid = $1 DESC LIMIT 1 FOR UPDATE`, [p.CallSid]);
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

function parseTimestamp(value: string | undefined): string {
  if (value) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return new Date().toISOString();
}
