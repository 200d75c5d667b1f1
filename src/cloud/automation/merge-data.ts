import type { Contact } from '../../shared/cloud/entities';
import type { Queryable } from '../db';
import type { AccountInfo, RunContext } from './actions/types';
import type { MergeData } from './merge-fields';

/**
 * The data merge fields read, gathered fresh for each step: the run's contact and its assigned
 * user, the triggering call (with its disposition's current label) and appointment, the account,
 * custom values and inbound-webhook fields. What the trigger does not supply is simply absent
 * (and renders blank).
 */
export async function loadMergeData(q: Queryable, account: AccountInfo, contact: Contact | null, context: RunContext): Promise<MergeData> {
  const data: MergeData = {
    account: { name: account.name, company_phone: account.companyPhone ?? '' },
    custom: { ...flatten(context.webhook ?? {}), ...(context.customValues ?? {}) },
    inbound_webhook: context.webhook ? flatten(context.webhook) : undefined,
  };
  if (contact) {
    const [first, ...rest] = contact.name.trim().split(/\s+/);
    data.contact = {
      id: contact.id,
      name: contact.name,
      full_name: contact.name,
      first_name: first ?? '',
      last_name: rest.join(' '),
      phone: contact.phone ?? '',
      email: contact.email ?? '',
      tags: contact.tags.join(', '),
      custom_fields: { ...(contact.customFields ?? {}) },
    };
    if (contact.assignedUserId) {
      const users = await q.query<{ name: string; email: string; phone: string | null }>(
        `SELECT name, email, phone FROM users WHERE id = $1 AND account_id = $2`,
        [contact.assignedUserId, account.id],
      );
      const user = users[0];
      if (user) data.user = { name: user.name, first_name: user.name.split(/\s+/)[0] ?? '', email: user.email, phone: user.phone ?? '' };
    }
  }
  if (context.callId) {
    const calls = await q.query<{
      direction: string; status: string; duration_seconds: number | null; from_number: string; to_number: string; started_at: string;
      disposition: string | null; line: string | null;
    }>(
      `SELECT k.direction, k.status, k.duration_seconds, k.from_number, k.to_number, k.started_at, d.label AS disposition, pn.name AS line
         FROM calls k LEFT JOIN dispositions d ON d.id = k.disposition_id LEFT JOIN phone_numbers pn ON pn.id = k.phone_number_id
        WHERE k.id = $1 AND k.account_id = $2`,
      [context.callId, account.id],
    );
    const call = calls[0];
    if (call) {
      data.call = {
        disposition: call.disposition ?? '',
        direction: call.direction,
        status: call.status,
        duration: call.duration_seconds ?? '',
        from: call.from_number,
        to: call.to_number,
        started_at: formatDateTime(call.started_at, account.timezone),
        line: call.line ?? '',
      };
    }
  }
  if (context.appointmentId) {
    const appointment = await loadAppointmentMergeData(q, account, context.appointmentId);
    if (appointment) data.appointment = appointment;
  }
  return data;
}

async function loadAppointmentMergeData(q: Queryable, account: AccountInfo, appointmentId: string): Promise<Record<string, unknown> | null> {
  const rows = await q.query<{ starts_at: string; ends_at: string; status: string; calendar: string | null; location: string | null; notes: string | null; provider: string | null }>(
    `SELECT a.starts_at, a.ends_at, a.status, a.calendar, l.name AS location, a.notes, u.name AS provider
       FROM appointments a
       LEFT JOIN users u ON u.id = a.provider_id AND u.account_id = a.account_id
       LEFT JOIN locations l ON l.id = a.location_id AND l.account_id = a.account_id
      WHERE a.id = $1 AND a.account_id = $2`,
    [appointmentId, account.id],
  );
  const a = rows[0];
  if (!a) return null;
  return {
    start_time: formatDateTime(a.starts_at, account.timezone),
    only_start_date: formatDate(a.starts_at, account.timezone),
    only_start_time: formatTime(a.starts_at, account.timezone),
    end_time: formatDateTime(a.ends_at, account.timezone),
    status: a.status,
    provider: a.provider ?? '',
    calendar: a.calendar ?? '',
    location: a.location ?? '',
    notes: a.notes ?? '',
  };
}

/** Webhook JSON one level deep as `a.b` paths too, so `{{inbound_webhook.caller.number}}` and `{{custom.caller.number}}` work. */
function flatten(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? v : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'datetime' | 'date' | 'time', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { dateStyle: 'long' }
        : kind === 'time'
          ? { timeStyle: 'short' }
          : { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' };
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}
export const formatDateTime = (iso: string, tz: string): string => formatter('datetime', tz).format(new Date(iso));
export const formatDate = (iso: string, tz: string): string => formatter('date', tz).format(new Date(iso));
export const formatTime = (iso: string, tz: string): string => formatter('time', tz).format(new Date(iso));
