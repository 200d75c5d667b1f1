import type { Appointment } from '../../shared/cloud/appointments';
import { int, text, textOrNull, type Row } from '../db/columns';

/** An appointments row → the wire entity. */
export const APPOINTMENT_COLUMNS = `ap.id, ap.account_id, ap.contact_id, ap.provider_id, ap.location_id, ap.starts_at, ap.ends_at, ap.status, ap.calendar, ap.title,
  ap.notes, ap.created_at, ap.updated_at, ap.seq`;
export const toAppointment = (r: Row): Appointment => ({
  id: text(r.id),
  accountId: text(r.account_id),
  contactId: text(r.contact_id),
  providerId: textOrNull(r.provider_id),
  locationId: textOrNull(r.location_id),
  startsAt: text(r.starts_at),
  endsAt: text(r.ends_at),
  status: text(r.status) as Appointment['status'],
  calendar: textOrNull(r.calendar),
  title: textOrNull(r.title),
  notes: textOrNull(r.notes),
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
  seq: int(r.seq),
});
