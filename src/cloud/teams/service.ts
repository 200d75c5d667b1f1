import type { Team } from '../../shared/cloud/entities';
import type { CreateTeamInput, UpdateTeamInput } from '../../shared/cloud/teams';
import { requireAdmin } from '../auth/roles';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { TEAM_COLUMNS, toTeam } from './rows';

/**
 * Teams: a name, members (users of the practice) and a lead who is one of them. Membership lives
 * on each user (`users.team_ids`, synced with the user), so a change touches the team and every
 * user who joined or left it. Reports attribute a call to the teams its handler belongs to now.
 */

export async function listTeams(ctx: CloudContext, principal: Principal): Promise<Team[]> {
  const rows = await ctx.db.query(`SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.account_id = $1 AND t.deleted_at IS NULL ORDER BY lower(t.name), t.id`, [principal.accountId]);
  return rows.map(toTeam);
}

/** The live members of a team of this account (AI agents' "transfer to a team" rings them). */
export async function teamMemberIds(q: Queryable, accountId: string, teamId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT u.id FROM users u JOIN teams t ON t.id = $2 AND t.account_id = $1 AND t.deleted_at IS NULL
      WHERE u.account_id = $1 AND u.deleted_at IS NULL AND u.team_ids @> jsonb_build_array(t.id::text) ORDER BY u.id`,
    [accountId, teamId],
  );
  return rows.map((r) => r.id);
}

async function readTeam(uow: UnitOfWork, teamId: string): Promise<Team> {
  const rows = await uow.q.query(`SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = $1`, [teamId]);
  return toTeam(rows[0]!);
}

async function lockTeam(uow: UnitOfWork, teamId: string): Promise<{ id: string; name: string; lead_user_id: string | null }> {
  const rows = await uow.q.query<{ id: string; name: string; lead_user_id: string | null }>(
    `SELECT id, name, lead_user_id FROM teams WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE`,
    [teamId, uow.accountId],
  );
  if (!rows[0]) throw notFound('Team');
  return rows[0];
}

/** Every id must be a live user of this practice; the answer does not say whether an id exists elsewhere. */
async function requireLiveUsers(uow: UnitOfWork, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const found = await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND deleted_at IS NULL AND id = ANY($2::text[])`, [uow.accountId, [...userIds]]);
  const known = new Set(found.map((r) => r.id));
  const missing = userIds.filter((id) => !known.has(id));
  if (missing.length > 0) throw new ApiError('NOT_FOUND', `Unknown user${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
}

async function requireFreeName(uow: UnitOfWork, name: string, exceptTeamId: string | null): Promise<void> {
  const rows = await uow.q.query(
    `SELECT 1 FROM teams WHERE account_id = $1 AND deleted_at IS NULL AND lower(name) = lower($2) AND ($3::text IS NULL OR id <> $3)`,
    [uow.accountId, name, exceptTeamId],
  );
  if (rows.length > 0) throw new ApiError('CONFLICT', `There is already a team called “${name}”`);
}

/** Adds/removes the team on users' `team_ids`; touches each user that changed. */
async function changeMembership(uow: UnitOfWork, teamId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
  if (add.length > 0) {
    const rows = await uow.q.query<{ id: string }>(
      `UPDATE users SET team_ids = team_ids || jsonb_build_array($2::text), updated_at = now()
        WHERE account_id = $1 AND id = ANY($3::text[]) AND NOT team_ids @> jsonb_build_array($2::text) RETURNING id`,
      [uow.accountId, teamId, [...add]],
    );
    for (const r of rows) uow.touch('users', r.id);
  }
  if (remove.length > 0) {
    const rows = await uow.q.query<{ id: string }>(
      `UPDATE users SET team_ids = team_ids - $2::text, updated_at = now()
        WHERE account_id = $1 AND id = ANY($3::text[]) AND team_ids @> jsonb_build_array($2::text) RETURNING id`,
      [uow.accountId, teamId, [...remove]],
    );
    for (const r of rows) uow.touch('users', r.id);
  }
}

const conflictOnName = (name: string) => (error: unknown) => {
  if (isUniqueViolation(error, 'teams_live_name')) throw new ApiError('CONFLICT', `There is already a team called “${name}”`);
  throw error;
};

export async function createTeam(uow: UnitOfWork, principal: Principal, input: Required<Pick<CreateTeamInput, 'name'>> & { memberIds: string[]; leadUserId: string | null }): Promise<Team> {
  requireAdmin(principal);
  const members = input.leadUserId && !input.memberIds.includes(input.leadUserId) ? [...input.memberIds, input.leadUserId] : input.memberIds;
  await requireLiveUsers(uow, members);
  await requireFreeName(uow, input.name, null);
  const id = newId('team');
  await uow.q
    .query(`INSERT INTO teams (id, account_id, name, lead_user_id) VALUES ($1, $2, $3, $4)`, [id, uow.accountId, input.name, input.leadUserId])
    .catch(conflictOnName(input.name));
  await changeMembership(uow, id, members, []);
  uow.touch('teams', id);
  await uow.audit(principal.userId, 'team.create', 'team', id, { name: input.name, memberIds: members, leadUserId: input.leadUserId });
  return readTeam(uow, id);
}

export async function updateTeam(uow: UnitOfWork, principal: Principal, teamId: string, input: UpdateTeamInput): Promise<Team> {
  requireAdmin(principal);
  const team = await lockTeam(uow, teamId);
  const changes: Record<string, unknown> = {};
  if (input.name !== undefined && input.name !== team.name) {
    await requireFreeName(uow, input.name, teamId);
    await uow.q.query(`UPDATE teams SET name = $2, updated_at = now() WHERE id = $1`, [teamId, input.name]).catch(conflictOnName(input.name));
    changes.name = { from: team.name, to: input.name };
  }
  if (input.leadUserId !== undefined && input.leadUserId !== team.lead_user_id) {
    if (input.leadUserId !== null) {
      await requireLiveUsers(uow, [input.leadUserId]);
      await changeMembership(uow, teamId, [input.leadUserId], []); // the lead is a member
    }
    await uow.q.query(`UPDATE teams SET lead_user_id = $2, updated_at = now() WHERE id = $1`, [teamId, input.leadUserId]);
    changes.leadUserId = { from: team.lead_user_id, to: input.leadUserId };
  }
  if (Object.keys(changes).length > 0) {
    uow.touch('teams', teamId);
    await uow.audit(principal.userId, 'team.update', 'team', teamId, changes);
  }
  return readTeam(uow, teamId);
}

/** Replaces the member list. A lead who is no longer a member stops being lead. */
export async function setTeamMembers(uow: UnitOfWork, principal: Principal, teamId: string, memberIds: string[]): Promise<Team> {
  requireAdmin(principal);
  const team = await lockTeam(uow, teamId);
  await requireLiveUsers(uow, memberIds);
  const current = (
    await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND team_ids @> jsonb_build_array($2::text)`, [uow.accountId, teamId])
  ).map((r) => r.id);
  const add = memberIds.filter((id) => !current.includes(id));
  const remove = current.filter((id) => !memberIds.includes(id));
  await changeMembership(uow, teamId, add, remove);
  const leadLeft = team.lead_user_id !== null && !memberIds.includes(team.lead_user_id);
  if (leadLeft) await uow.q.query(`UPDATE teams SET lead_user_id = NULL, updated_at = now() WHERE id = $1`, [teamId]);
  if (add.length > 0 || remove.length > 0 || leadLeft) {
    uow.touch('teams', teamId);
    await uow.audit(principal.userId, 'team.set_members', 'team', teamId, { added: add, removed: remove, ...(leadLeft ? { leadCleared: team.lead_user_id } : {}) });
  }
  return readTeam(uow, teamId);
}

/** Soft-deletes the team; its members leave it (their calls stop counting for it). */
export async function deleteTeam(uow: UnitOfWork, principal: Principal, teamId: string): Promise<Team> {
  requireAdmin(principal);
  const team = await lockTeam(uow, teamId);
  const members = (
    await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND team_ids @> jsonb_build_array($2::text)`, [uow.accountId, teamId])
  ).map((r) => r.id);
  await changeMembership(uow, teamId, [], members);
  await uow.q.query(`UPDATE teams SET deleted_at = now(), lead_user_id = NULL, updated_at = now() WHERE id = $1`, [teamId]);
  uow.touch('teams', teamId);
  await uow.audit(principal.userId, 'team.delete', 'team', teamId, { name: team.name, memberIds: members });
  return readTeam(uow, teamId);
}
