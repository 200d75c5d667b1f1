import type { Contact, Dnd } from '../../shared/cloud/entities';
import { text, textOrNull, int, textArray, type Row } from '../db/columns';

/** A contacts row → the wire entity (CONTACT_COLUMNS is the only column list services use). */
export const CONTACT_COLUMNS = `c.id, c.account_id, c.location_id, c.name, c.phone, c.email, c.tags, c.assigned_user_id, c.dnd, c.custom_fields, c.created_at, c.updated_at, c.seq, c.deleted_at`;
export const toContact = (r: Row): Contact => ({
  id: text(r.id),
  accountId: text(r.account_id),
  locationId: textOrNull(r.location_id),
  name: text(r.name),
  phone: textOrNull(r.phone),
  email: textOrNull(r.email),
  tags: textArray(r.tags),
  assignedUserId: textOrNull(r.assigned_user_id),
  dnd: r.dnd as Dnd,
  customFields: (r.custom_fields ?? {}) as Record<string, string>,
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
  seq: int(r.seq),
  deletedAt: textOrNull(r.deleted_at),
});
