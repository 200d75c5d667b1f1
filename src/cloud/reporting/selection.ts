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

  // Every id the filters name, checked in one round trip.
  const named = ID_TABLES.map(({ key, table, what }) => ({
    table, what, ids: key === 'dispositionIds' ? filters.dispositionIds.filter((id) => id !== 'none') : filters[key],
  })).filter((n) => n.ids.length > 0);
  if (named.length > 0) {
    const params: unknown[] = [accountId];
    const sql = named.map((n, i) => {
      params.push(n.ids);
      return `SELECT ${i} AS kind, id FROM ${n.table} WHERE account_id = $1 AND id = ANY($${i + 2}::text[])`;
    }).join(' UNION ALL ');
    const found = await q.query<{ kind: number; id: string }>(sql, params);
    for (const [i, n] of named.entries()) {
      const known = new Set(found.filter((r) => Number(r.kind) === i).map((r) => r.id));
      const missing = n.ids.filter((id) => !known.has(id));
      if (missing.length > 0) throw new ApiError('NOT_FOUND', `Unknown ${n.what}${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
    }
  }

  // The practice's time zone, and who is in which live team, in one round trip.
  const [facts] = await q.query<{ timezone: string | null; users: [string, string[]][]; teams: string[] }>(
    `SELECT (SELECT timezone FROM accounts WHERE id = $1) AS timezone,
            (SELECT coalesce(jsonb_agg(jsonb_build_array(u.id, u.team_ids)), '[]'::jsonb) FROM users u WHERE u.account_id = $1) AS users,
            (SELECT coalesce(jsonb_agg(t.id), '[]'::jsonb) FROM teams t WHERE t.account_id = $1 AND t.deleted_at IS NULL) AS teams`,
    [accountId],
  );
  const timezone = facts?.timezone ?? 'America/Los_Angeles';
  const liveTeams = new Set(facts?.teams ?? []);
  const teamsOfUser = new Map<string, string[]>();
  for (const [userId, teamIds] of facts?.users ?? []) {
    const teams = (Array.isArray(teamIds) ? teamIds : []).filter((t) => liveTeams.has(t));
    if (teams.length > 0) teamsOfUser.set(userId, teams);
  }
  const teamMemberIds = filters.teamIds.length === 0 ? null : [...teamsOfUser].filter(([, teams]) => teams.some((t) => filters.teamIds.includes(t))).map(([u]) => u);

  const today = localDateOf(now, timezone);
  const { from, to } = resolveRange(filters.preset, today, filters);
  const startUtc = new Date(startOfLocalDate(from, timezone)).toISOString();
  const endUtc = new Date(startOfLocalDate(addDays(to, 1), timezone)).toISOString();

  const own = principal.role !== 'admin';
  return {
    selection: { accountId, timezone, startUtc, endUtc, filters, ownUserId: own ? principal.userId : null, teamMemberIds },
    scope: own ? 'own' : 'account',
    range: { from, to, startUtc, endUtc },
    bucket: bucketFor({ from, to }),
    teamsOfUser,
  };
}
