import type { z } from 'zod';
import type { Appointment, bookAppointmentSchema, listAppointmentsQuerySchema, updateAppointmentSchema } from '../../shared/cloud/appointments';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { recordDomainEvent } from '../events/domain-events';
import { newId } from '../ids';
import { APPOINTMENT_COLUMNS, toAppointment } from './rows';

type BookInput = z.output<typeof bookAppointmentSchema>;
type UpdateInput = z.output<typeof updateAppointmentSchema>;

const LIVE = ['booked', 'confirmed'];

async function read(q: Queryable, id: string): Promise<Appointment> {
  const rows = await q.query(`SELECT ${APPOINTMENT_COLUMNS} FROM appointments ap WHERE ap.id = $1`, [id]);
  return toAppointment(rows[0]!);
}

async function assertInAccount(uow: UnitOfWork, table: 'contacts' | 'users' | 'locations', id: string | null | undefined, field: string): Promise<void> {
  if (!id) return;
  const rows = await uow.q.query(`SELECT 1 FROM ${table} WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [id, uow.accountId]);
  if (rows.length === 0) throw new ApiError('VALIDATION_FAILED', `${field}: not found in this account`, { errors: [{ path: field, message: 'Not found in this account' }] });
}

/**
 * A provider has one live appointment at a time. The provider's user row is locked first, so two
 * bookings racing for the same slot are decided one after the other and the second gets 409.
 */
async function assertFree(uow: UnitOfWork, providerId: string, startsAt: string, endsAt: string, exceptId: string | null): Promise<void> {
  await uow.q.query(`SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE`, [providerId]);
  const clash = await uow.q.query<{ starts_at: string; ends_at: string; name: string }>(
    `SELECT ap.starts_at, ap.ends_at, u.name FROM appointments ap JOIN users u ON u.id = ap.provider_id
      WHERE ap.provider_id = $1 AND ap.status = ANY($2::text[]) AND ap.starts_at < $4 AND ap.ends_at > $3 AND ap.id IS DISTINCT FROM $5 LIMIT 1`,
    [providerId, LIVE, startsAt, endsAt, exceptId],
  );
  const c = clash[0];
  if (c) throw new ApiError('CONFLICT', `${c.name} already has an appointment from ${c.starts_at} to ${c.ends_at}`);
}

/**
 * Books an appointment (the API; the AI agent's Book Appointment action). Refuses an overlap with
 * the provider's other live appointments (409). Writes `appointment.booked` in the same transaction.
 */
export async function bookAppointment(uow: UnitOfWork, actor: Principal | null, input: BookInput): Promise<Appointment> {
  await assertInAccount(uow, 'contacts', input.contactId, 'contactId');
  await assertInAccount(uow, 'users', input.providerId, 'providerId');
  await assertInAccount(uow, 'locations', input.locationId, 'locationId');
  const startsAt = new Date(input.startsAt).toISOString();
  const endsAt = input.endsAt ? new Date(input.endsAt).toISOString() : new Date(Date.parse(startsAt) + input.durationMinutes! * 60_000).toISOString();
  if (Date.parse(endsAt) <= Date.parse(startsAt)) throw new ApiError('VALIDATION_FAILED', 'endsAt: must be after startsAt', { errors: [{ path: 'endsAt', message: 'Must be after startsAt' }] });
  if (input.providerId) await assertFree(uow, input.providerId, startsAt, endsAt, null);
  const id = newId('apt');
  await uow.q.query(
    `INSERT INTO appointments (id, account_id, contact_id, provider_id, location_id, starts_at, ends_at, status, calendar, title, notes, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [id, uow.accountId, input.contactId, input.providerId, input.locationId, startsAt, endsAt, input.status, input.calendar, input.title, input.notes, actor?.userId ?? null],
  );
  uow.touch('appointments', id);
  await uow.audit(actor?.userId ?? null, 'appointment.book', 'appointment', id, { contactId: input.contactId, startsAt });
  recordDomainEvent(uow, {
    accountId: uow.accountId, type: 'appointment.booked', appointmentId: id, contactId: input.contactId, actorUserId: actor?.userId ?? null,
    payload: { status: input.status, providerId: input.providerId, startsAt },
  });
  return read(uow.q, id);
}

/** Reschedules, reassigns or changes the status; a status change writes `appointment.status_changed`. */
export async function updateAppointment(uow: UnitOfWork, actor: Principal | null, id: string, input: UpdateInput): Promise<Appointment> {
  const rows = await uow.q.query(`SELECT ${APPOINTMENT_COLUMNS} FROM appointments ap WHERE ap.id = $1 AND ap.account_id = $2 FOR NO KEY UPDATE`, [id, uow.accountId]);
  if (!rows[0]) throw notFound('Appointment');
  const before = toAppointment(rows[0]);
  await assertInAccount(uow, 'users', input.providerId, 'providerId');
  await assertInAccount(uow, 'locations', input.locationId, 'locationId');
  const next = {
    status: input.status ?? before.status,
    providerId: input.providerId === undefined ? before.providerId : input.providerId,
    locationId: input.locationId === undefined ? before.locationId : input.locationId,
    startsAt: input.startsAt ? new Date(input.startsAt).toISOString() : before.startsAt,
    endsAt: input.endsAt ? new Date(input.endsAt).toISOString() : before.endsAt,
    calendar: input.calendar === undefined ? before.calendar : input.calendar,
    title: input.title === undefined ? before.title : input.title,
    notes: input.notes === undefined ? before.notes : input.notes,
  };
  if (input.startsAt && !input.endsAt) next.endsAt = new Date(Date.parse(next.startsAt) + (Date.parse(before.endsAt) - Date.parse(before.startsAt))).toISOString();
  if (Date.parse(next.endsAt) <= Date.parse(next.startsAt)) throw new ApiError('VALIDATION_FAILED', 'endsAt: must be after startsAt', { errors: [{ path: 'endsAt', message: 'Must be after startsAt' }] });
  const slotChanged = next.providerId !== before.providerId || next.startsAt !== before.startsAt || next.endsAt !== before.endsAt || !LIVE.includes(before.status);
  if (next.providerId && LIVE.includes(next.status) && slotChanged) await assertFree(uow, next.providerId, next.startsAt, next.endsAt, id);
  await uow.q.query(
    `UPDATE appointments SET status = $2, provider_id = $3, location_id = $4, starts_at = $5, ends_at = $6, calendar = $7, title = $8, notes = $9, updated_at = now()
      WHERE id = $1`,
    [id, next.status, next.providerId, next.locationId, next.startsAt, next.endsAt, next.calendar, next.title, next.notes],
  );
  uow.touch('appointments', id);
  await uow.audit(actor?.userId ?? null, 'appointment.update', 'appointment', id, { fields: Object.keys(input), ...(input.status ? { from: before.status, to: next.status } : {}) });
  if (next.status !== before.status) {
    recordDomainEvent(uow, {
      accountId: uow.accountId, type: 'appointment.status_changed', appointmentId: id, contactId: before.contactId, actorUserId: actor?.userId ?? null,
      payload: { status: next.status, previousStatus: before.status, providerId: next.providerId, startsAt: next.startsAt },
    });
  }
  return read(uow.q, id);
}

export async function getAppointment(ctx: CloudContext, principal: Principal, id: string): Promise<Appointment> {
  const rows = await ctx.db.query(`SELECT ${APPOINTMENT_COLUMNS} FROM appointments ap WHERE ap.id = $1 AND ap.account_id = $2`, [id, principal.accountId]);
  if (!rows[0]) throw notFound('Appointment');
  return toAppointment(rows[0]);
}

/** Appointments by start time (filters: contact, provider, status, from/to). */
export async function listAppointments(ctx: CloudContext, principal: Principal, query: z.output<typeof listAppointmentsQuerySchema>): Promise<Appointment[]> {
  const params: unknown[] = [principal.accountId, query.limit];
  const where = ['ap.account_id = $1'];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.contactId) add('ap.contact_id = ?', query.contactId);
  if (query.providerId) add('ap.provider_id = ?', query.providerId);
  if (query.status) add('ap.status = ?', query.status);
  if (query.from) add('ap.starts_at >= ?', query.from);
  if (query.to) add('ap.starts_at < ?', query.to);
  const rows = await ctx.db.query(`SELECT ${APPOINTMENT_COLUMNS} FROM appointments ap WHERE ${where.join(' AND ')} ORDER BY ap.starts_at, ap.id LIMIT $2`, params);
  return rows.map(toAppointment);
}

/** The contact's next live appointment (what the screen pop shows), or null. */
export async function nextAppointment(q: Queryable, accountId: string, contactId: string, now = new Date()): Promise<Appointment | null> {
  const rows = await q.query(
    `SELECT ${APPOINTMENT_COLUMNS} FROM appointments ap WHERE ap.account_id = $1 AND ap.contact_id = $2 AND ap.status = ANY($3::text[]) AND ap.ends_at > $4
      ORDER BY ap.starts_at LIMIT 1`,
    [accountId, contactId, LIVE, now.toISOString()],
  );
  return rows[0] ? toAppointment(rows[0]) : null;
}
