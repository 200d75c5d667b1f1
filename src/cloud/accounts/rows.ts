import type { Account, AuditEntry, Location, User } from '../../shared/cloud/entities';
import { text, textOrNull, int, textArray, type Row } from '../db/columns';

/** Rows of accounts, locations, users and the audit log (teams: teams/rows.ts) → wire entities (the SELECT lists are the only ones services use). */
export const ACCOUNT_COLUMNS = `a.id, a.name, a.timezone, a.seq`;
export const toAccount = (r: Row): Account => ({ id: text(r.id), name: text(r.name), timezone: text(r.timezone), seq: int(r.seq) });

export const LOCATION_COLUMNS = `l.id, l.account_id, l.name, l.timezone, l.seq, l.deleted_at`;
export const toLocation = (r: Row): Location => ({
  id: text(r.id),
  accountId: text(r.account_id),
  name: text(r.name),
  timezone: text(r.timezone),
  seq: int(r.seq),
  deletedAt: textOrNull(r.deleted_at),
});

export const USER_COLUMNS = `u.id, u.account_id, u.email, u.name, u.role, u.phone, u.location_ids, u.team_ids, u.seq, u.deleted_at,
  (SELECT pn.id FROM phone_numbers pn WHERE pn.assigned_user_id = u.id AND pn.deleted_at IS NULL) AS inbound_number_id`;
export const twilioIdentityFor = (userId: string): string => userId;
export const toUser = (r: Row): User => ({
  id: text(r.id),
  accountId: text(r.account_id),
  email: text(r.email),
  name: text(r.name),
  role: r.role === 'admin' ? 'admin' : 'user',
  phone: textOrNull(r.phone),
  locationIds: textArray(r.location_ids),
  teamIds: textArray(r.team_ids),
  inboundNumberId: textOrNull(r.inbound_number_id),
  twilioIdentity: twilioIdentityFor(text(r.id)),
  seq: int(r.seq),
  deletedAt: textOrNull(r.deleted_at),
});

export const toAuditEntry = (r: Row): AuditEntry => ({
  id: int(r.id),
  accountId: text(r.account_id),
  actorUserId: textOrNull(r.actor_user_id),
  action: text(r.action),
  entity: text(r.entity),
  entityId: textOrNull(r.entity_id),
  details: (r.details ?? {}) as Record<string, unknown>,
  at: text(r.at),
});
