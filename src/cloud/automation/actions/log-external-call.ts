import { createHash } from 'node:crypto';
import { toE164 } from '../../../shared/cloud/phone';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { createContact } from '../../contacts/service';
import { newId } from '../../ids';
import type { ActionDefinition } from './types';

type CallStatus = 'completed' | 'no-answer' | 'busy' | 'failed' | 'canceled' | 'missed';

/** The words outside dialers use for a call's direction and status, mapped to ours. */
const DIRECTIONS: Record<string, 'inbound' | 'outbound'> = {
  inbound: 'inbound', in: 'inbound', incoming: 'inbound', received: 'inbound',
  outbound: 'outbound', out: 'outbound', outgoing: 'outbound', 'outbound-api': 'outbound', 'outbound-dial': 'outbound', placed: 'outbound', dialed: 'outbound',
};
const STATUSES: Record<string, { status: CallStatus; answered: boolean } | 'voicemail'> = {
  completed: { status: 'completed', answered: true }, answered: { status: 'completed', answered: true }, connected: { status: 'completed', answered: true },
  success: { status: 'completed', answered: true }, 'no-answer': { status: 'no-answer', answered: false }, noanswer: { status: 'no-answer', answered: false },
  unanswered: { status: 'no-answer', answered: false }, missed: { status: 'missed', answered: false }, busy: { status: 'busy', answered: false },
  failed: { status: 'failed', answered: false }, error: { status: 'failed', answered: false }, canceled: { status: 'canceled', answered: false },
  cancelled: { status: 'canceled', answered: false }, voicemail: 'voicemail',
};
export const ACCEPTED_STATUSES = Object.keys(STATUSES);

const key = (s: string): string => s.trim().toLowerCase().replace(/[\s_]+/g, '-').replace(/^no-?answer$/, 'no-answer');

/** An ISO 8601 date or a Unix time in seconds or milliseconds. */
function parseDate(raw: string): Date | null {
  const s = raw.trim();
  const date = /^\d{9,13}$/.test(s) ? new Date(s.length > 11 ? Number(s) : Number(s) * 1000) : new Date(s);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Log External Call (with the Inbound Webhook trigger): records a call made or taken in another
 * calling system on the contact — direction, date, to, from, status, and the recording URL — so it
 * shows in the contact's history beside the softphone's calls, marked external (calls.source
 * `external`, which call reports count apart). The contact is matched on the E.164 number of the
 * far side (From for inbound, To for outbound) or created — never duplicated (the same advisory
 * lock as Create/Update Contact). A dialer that posts the same call twice logs it once (same
 * direction, numbers and date).
 */
export const logExternalCallAction: ActionDefinition<ActionConfig<'log_external_call'>> = {
  type: 'log_external_call',
  category: 'communication',
  configSchema: actionConfigSchemas.log_external_call,
  needsContact: false,
  async execute(ctx, config) {
    const raw = {
      direction: (await ctx.render(config.direction)).trim(), date: (await ctx.render(config.date)).trim(), to: (await ctx.render(config.to)).trim(),
      from: (await ctx.render(config.from)).trim(), status: (await ctx.render(config.status)).trim(), recordingUrl: (await ctx.render(config.recordingUrl)).trim(),
    };
    const direction = DIRECTIONS[key(raw.direction)];
    if (!direction) return { status: 'error', reason: raw.direction ? `Direction "${raw.direction}" is neither inbound nor outbound` : 'The direction is blank (map it to inbound or outbound)' };
    const from = toE164(raw.from, 'US');
    const to = toE164(raw.to, 'US');
    if (!from) return { status: 'error', reason: raw.from ? `From "${raw.from}" is not a valid phone number` : 'The From number is blank' };
    if (!to) return { status: 'error', reason: raw.to ? `To "${raw.to}" is not a valid phone number` : 'The To number is blank' };
    const date = raw.date ? parseDate(raw.date) : null;
    if (raw.date && !date) return { status: 'error', reason: `Date "${raw.date}" is not a date (use ISO 8601, e.g. 2026-03-01T15:04:05Z, or a Unix time)` };
    const mapped = STATUSES[key(raw.status)];
    if (!mapped) return { status: 'error', reason: raw.status ? `Call status "${raw.status}" is not one of: ${ACCEPTED_STATUSES.join(', ')}` : 'The call status is blank' };
    const outcome = mapped === 'voicemail' ? { status: (direction === 'inbound' ? 'missed' : 'no-answer') as CallStatus, answered: false } : mapped;
    const notes: string[] = [];
    let recordingUrl: string | null = null;
    if (raw.recordingUrl) {
      if (/^https?:\/\/[^\s]+$/i.test(raw.recordingUrl) && raw.recordingUrl.length <= 2048) recordingUrl = raw.recordingUrl;
      else notes.push(`the recording "${raw.recordingUrl.slice(0, 80)}" is not an http(s) URL, left out`);
    }
    if (!date) notes.push('no date was given: logged at the time it arrived');
    const startedAt = (date ?? new Date(ctx.clock.now())).toISOString();
    const contactPhone = direction === 'inbound' ? from : to;
    const practiceSide = direction === 'inbound' ? to : from;

    const result = await ctx.dbEffect('external-call', async (uow) => {
      await uow.q.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`contact-phone:${uow.accountId}:${contactPhone}`]);
      const found = await uow.q.query<{ id: string }>(
        `SELECT id FROM contacts WHERE account_id = $1 AND phone = $2 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1`, [uow.accountId, contactPhone],
      );
      const contactCreated = !found[0];
      const contactId = found[0]?.id ?? (await createContact(uow, null, { name: contactPhone, phone: contactPhone, email: null, tags: [] }, { runId: ctx.run.id })).id;
      if (!ctx.run.contactId) {
        await uow.q.query(`UPDATE workflow_runs SET contact_id = $2 WHERE id = $1 AND contact_id IS NULL`, [ctx.run.id, contactId]);
        await uow.q.query(`UPDATE run_steps SET contact_id = $2 WHERE run_id = $1 AND contact_id IS NULL`, [ctx.run.id, contactId]);
      }
      const same = await uow.q.query<{ id: string }>(
        `SELECT id FROM calls WHERE account_id = $1 AND source = 'external' AND direction = $2 AND from_number = $3 AND to_number = $4 AND started_at = $5 LIMIT 1`,
        [uow.accountId, direction, from, to, startedAt],
      );
      if (same[0]) return { callId: same[0].id, contactId, contactCreated, duplicate: true };
      const line = await uow.q.query<{ id: string; location_id: string | null }>(
        `SELECT id, location_id FROM phone_numbers WHERE account_id = $1 AND number = $2 AND deleted_at IS NULL LIMIT 1`, [uow.accountId, practiceSide],
      );
      const callId = newId('call');
      const recordings = recordingUrl
        ? [{ sid: `ext_${createHash('sha256').update(recordingUrl).digest('hex').slice(0, 24)}`, url: recordingUrl, durationSeconds: null, status: 'completed', kind: 'call' }]
        : [];
      await uow.q.query(
        `INSERT INTO calls (id, account_id, location_id, direction, from_number, to_number, phone_number_id, contact_id, status, started_at, answered_at, ended_at, recordings, source, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $11 THEN $10::timestamptz END, $10, $12::jsonb, 'external', $13)`,
        [callId, uow.accountId, line[0]?.location_id ?? null, direction, from, to, line[0]?.id ?? null, contactId, outcome.status, startedAt, outcome.answered,
          JSON.stringify(recordings), `Logged from an external calling system by the workflow step “${ctx.step.name}”`],
      );
      uow.touch('calls', callId);
      return { callId, contactId, contactCreated, duplicate: false };
    });
    if (!result.duplicate) await ctx.metric('logged');
    const what = `${direction} call ${from} → ${to} (${outcome.status}${recordingUrl ? ', with recording' : ''})`;
    return {
      status: 'completed',
      reason: `${result.duplicate ? 'Already logged' : 'Logged'} the external ${what} on ${result.contactCreated ? 'a new contact' : 'the contact'} ${contactPhone}${notes.length ? `; ${notes.join('; ')}` : ''}`,
      output: { ...result, direction, from, to, status: outcome.status, startedAt, recordingUrl },
    };
  },
};
