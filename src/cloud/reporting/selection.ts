import type { ReportFilters, ReportSummary } from '../../shared/cloud/reports';
import { addDays, bucketFor, localDateOf, resolveRange, startOfLocalDate, type TimeBucket } from '../../shared/reporting/dates';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import { ApiError } from '../errors';
import type { ReportSelection } from './where';

/** Everything a report request resolves to before it reads calls. */
export interface ResolvedReport {
  selection: ReportSelection;
  scope: ReportSummary['scope'];
  range: ReportSummary['range'];
  bucket: TimeBucket;
  /** Each user's current teams (live teams only): how calls are attributed to teams. */
  teamsOfUser: Map<string, string[]>;
}

/** The ids a filter may name, and the table each must be found in (deleted rows count: history names them). */
const ID_TABLES = [
  { key: 'dispositionIds', table: 'dispositions', what: 'disposition' },
  { key: 'userIds', table: 'users', what: 'user' },
  { key: 'teamIds', table: 'teams', what: 'team' },
  { key: 'locationIds', table: 'locations', what: 'location' },
  { key: 'lineIds', table: 'phone_numbers', what: 'phone number' },
] as const;

/**
 * Resolves the caller's filters: the practice's time zone and the range's instants, a
 * receptionist's own-calls scope, the members of the selected teams, and a check that every id the
 * filters name belongs to the caller's practice (NOT_FOUND otherwise — nothing about other
 * practices is revealed, not even whether the id exists).
 */
export async function resolveReport(ctx: CloudContext, principal: Principal, filters: ReportFilters, now = Date.now()): Promise<ResolvedReport> {
  const q: Queryable = ctx.db;
  const accountId = principal.accountId;
  const accounts = await q.query<{ timezone: string }>(`SELECT timezone FROM accounts WHERE id = $1`, [accountId]);
  const timezone = accounts[0]?.timezone ?? 'America/Los_Angeles';

  for (const { key, table, what } of ID_TABLES) {
    const wanted = key === 'dispositionIds' ? filters.dispositionIds.filter((id) => id !== 'none') : filters[key];
    if (wanted.length === 0) continue;
    const found = await q.query<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 AND id = ANY($2::text[])`, [accountId, wanted]);
    const known = new Set(found.map((r) => r.id));
    const missing = wanted.filter((id) => !known.has(id));
    if (missing.length > 0) throw new ApiError('NOT_FOUND', `Unknown ${what}${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }

  const today = localDateOf(now, timezone);
  const { from, to } = resolveRange(filters.preset, today, filters);
  const startUtc = new Date(startOfLocalDate(from, timezone)).toISOString();
  const endUtc = new Date(startOfLocalDate(addDays(to, 1), timezone)).toISOString();

  const users = await q.query<{ id: string; team_ids: string[] }>(`SELECT id, team_ids FROM users WHERE account_id = $1`, [accountId]);
  const liveTeams = new Set(
    (await q.query<{ id: string }>(`SELECT id FROM teams WHERE account_id = $1 AND deleted_at IS NULL`, [accountId])).map((r) => r.id),
  );
  const teamsOfUser = new Map<string, string[]>();
  for (const u of users) {
    const teams = (Array.isArray(u.team_ids) ? u.team_ids : []).filter((t) => liveTeams.has(t));
    if (teams.length > 0) teamsOfUser.set(u.id, teams);
  }
  const teamMemberIds =
    filters.teamIds.length === 0 ? null : users.filter((u) => (teamsOfUser.get(u.id) ?? []).some((t) => filters.teamIds.includes(t))).map((u) => u.id);

  const own = principal.role !== 'admin';
  return {
    selection: { accountId, timezone, startUtc, endUtc, filters, ownUserId: own ? principal.userId : null, teamMemberIds },
    scope: own ? 'own' : 'account',
    range: { from, to, startUtc, endUtc },
    bucket: bucketFor({ from, to }),
    teamsOfUser,
  };
}
