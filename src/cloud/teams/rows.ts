import type { Team } from '../../shared/cloud/entities';
import { int, text, textArray, textOrNull, type Row } from '../db/columns';

/** A teams row → the wire entity. Members come from `users.team_ids` (live users only). */
export const TEAM_COLUMNS = `t.id, t.account_id, t.name, t.lead_user_id, t.seq, t.deleted_at,
  (SELECT coalesce(jsonb_agg(u.id ORDER BY u.id), '[]'::jsonb) FROM users u WHERE u.team_ids @> jsonb_build_array(t.id) AND u.deleted_at IS NULL) AS member_ids`;
export const toTeam = (r: Row): Team => ({
  id: text(r.id),
  accountId: text(r.account_id),
  name: text(r.name),
  memberIds: textArray(r.member_ids),
  leadUserId: textOrNull(r.lead_user_id),
  seq: int(r.seq),
  deletedAt: textOrNull(r.deleted_at),
});
